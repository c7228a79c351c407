package io.gatehouse.core.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record of one security decision: what was done to which request, by which rule, and why.
 *
 * @param rayId the request's Ray ID
 * @param time when it was decided
 * @param action {@code block}, {@code challenge}, {@code log}, {@code allow}, ...
 * @param source what decided: {@code access_rules}, {@code custom_rules}, {@code browser_integrity_check},
 *     {@code security_level}, {@code challenge}, {@code internal_error}
 * @param ruleId the deciding rule's id, or {@code ""}
 * @param description why, in words
 * @param errorCode the error code shown to the visitor, or 0
 * @param clientIp the address the request was judged by
 * @param peerIp the connection's peer
 * @param clientIpDerivation how the client address was derived ({@code peer}, {@code header}, ...)
 * @param asn the client's autonomous system number, or 0 when unknown
 * @param asOrganization the organisation holding that AS, or {@code ""}
 * @param country the client's ISO country code, or {@code XX} when unknown
 * @param method the request method
 * @param host the request host
 * @param path the request path
 * @param query the request query, without {@code ?}
 * @param userAgent the User-Agent header
 * @param threatScore the client's threat score, 0..100
 * @param sharedIp whether the client address is a known shared address
 * @param enforced whether the action was carried out ({@code false} in simulate mode)
 */
public record SecurityEvent(
    String rayId,
    Instant time,
    String action,
    String source,
    String ruleId,
    String description,
    int errorCode,
    String clientIp,
    String peerIp,
    String clientIpDerivation,
    long asn,
    String asOrganization,
    String country,
    String method,
    String host,
    String path,
    String query,
    String userAgent,
    int threatScore,
    boolean sharedIp,
    boolean enforced) {

  /** The fields as ordered key-value pairs, with the names used in logs and JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ray_id", rayId);
    m.put("time", time.toString());
    m.put("action", action);
    m.put("source", source);
    m.put("rule_id", ruleId);
    m.put("description", description);
    m.put("error_code", errorCode);
    m.put("client_ip", clientIp);
    m.put("peer_ip", peerIp);
    m.put("client_ip_derivation", clientIpDerivation);
    m.put("asn", asn);
    m.put("as_organization", asOrganization);
    m.put("country", country);
    m.put("method", method);
    m.put("host", host);
    m.put("path", path);
    m.put("query", query);
    m.put("user_agent", userAgent);
    m.put("threat_score", threatScore);
    m.put("shared_ip", sharedIp);
    m.put("enforced", enforced);
    return Collections.unmodifiableMap(m);
  }
}
