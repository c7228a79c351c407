package io.gatehouse.core.events;

import io.gatehouse.core.ClientIp;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.Source;
import io.gatehouse.core.geo.GeoLookup;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The record of one security decision: what was done to which request, by which rule, and why.
 *
 * @param rayId the request's Ray ID
 * @param time when it was decided
 * @param action what was done
 * @param source what decided
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
 * @param visitorScore the visitor's own behaviour score, part of the threat score
 * @param addressScore the address's behaviour score (evidence spread over several visitors), part of it
 * @param sharedIp whether the client address is shared
 * @param sharedHow {@code configured} or {@code detected} when it is, else the empty string
 * @param enforced whether the action was carried out ({@code false} in simulate mode)
 */
public record SecurityEvent(
    String rayId,
    Instant time,
    Kind action,
    Source source,
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
    int visitorScore,
    int addressScore,
    boolean sharedIp,
    String sharedHow,
    boolean enforced) {

  /** What an event records being done. */
  public enum Kind {
    /** The request was refused. */
    BLOCK,
    /** The request was challenged. */
    CHALLENGE,
    /** A {@code log} rule matched, or something worth recording was seen; the request went on. */
    LOG,
    /** Let through although something failed ({@code gatehouse.on-error=allow}). */
    ALLOW,
    /** A challenge was solved and a clearance given. */
    CHALLENGE_SOLVED,
    /** A challenge solution or a clearance was refused. */
    CHALLENGE_FAILED;

    /** The snake-case name used in logs and JSON. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code id}, or {@code null}. */
    public static Kind fromId(String id) {
      for (Kind k : values()) {
        if (k.id().equals(id)) {
          return k;
        }
      }
      return null;
    }
  }

  /**
   * The most characters a free-text field (user agent, path, query, host, method, description) keeps in
   * an event made by {@link #of}. The event log is bounded in bytes as well as in count, so without a cap
   * a few requests with kilobytes of User-Agent each would push out thousands of ordinary events.
   */
  static final int MAX_TEXT_LENGTH = 1024;

  /** Ends a field cut to {@link #MAX_TEXT_LENGTH}, so a reader knows the value is not whole. */
  static final String TRUNCATION_MARK = "\u2026[truncated]";

  /**
   * The event for a request: its facts, its client and what was decided about it. Free-text fields
   * (user agent, path, query, host, method, description) longer than 1,024 characters are cut to 1,024,
   * ending with {@code …[truncated]}: a container passes on any token as the method.
   *
   * @param asn the client's AS, {@link GeoLookup.Asn#UNKNOWN} when not looked up
   * @param country the client's country, {@code XX} when not looked up
   */
  public static SecurityEvent of(Kind action, Source source, String ruleId, String description, int errorCode,
      String rayId, Instant time, RequestFacts facts, ClientIp client, GeoLookup.Asn asn, String country, int threatScore,
      int visitorScore, int addressScore, String sharedHow, boolean enforced) {
    return new SecurityEvent(rayId, time, action, source, ruleId, capped(description), errorCode,
        client.addressText(), client.peerText(), client.derivation().id(), asn.number(), asn.organization(), country,
        capped(facts.method()), capped(facts.host()), capped(facts.path()), capped(facts.query()), capped(facts.userAgent()),
        threatScore, visitorScore, addressScore, !sharedHow.isEmpty(), sharedHow, enforced);
  }

  /**
   * {@code text}, or when longer than {@link #MAX_TEXT_LENGTH} its start followed by
   * {@link #TRUNCATION_MARK}, the whole within the cap.
   */
  static String capped(String text) {
    if (text == null || text.length() <= MAX_TEXT_LENGTH) {
      return text;
    }
    int keep = MAX_TEXT_LENGTH - TRUNCATION_MARK.length();
    // Never keep half of a surrogate pair: the lone half would be an unencodable character.
    if (Character.isHighSurrogate(text.charAt(keep - 1)) && Character.isLowSurrogate(text.charAt(keep))) {
      keep--;
    }
    return text.substring(0, keep) + TRUNCATION_MARK;
  }

  /** The fields as ordered key-value pairs, with the names used in logs and JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ray_id", rayId);
    m.put("time", time.toString());
    m.put("action", action.id());
    m.put("source", source.id());
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
    m.put("visitor_score", visitorScore);
    m.put("address_score", addressScore);
    m.put("shared_ip", sharedIp);
    m.put("shared_ip_how", sharedHow);
    m.put("enforced", enforced);
    return Collections.unmodifiableMap(m);
  }
}
