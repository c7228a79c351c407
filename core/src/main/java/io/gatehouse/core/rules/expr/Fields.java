package io.gatehouse.core.rules.expr;

import io.gatehouse.core.config.Values;
import io.gatehouse.core.rules.expr.Expression.Context.Place;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of the language: their canonical names, types and how each is read from a
 * {@link Expression.Context}. Old Cloudflare names ({@code ip.geoip.country}, ...) are aliases, so rules
 * copied from older dashboards still compile; {@link Expression#fields()} reports canonical names.
 *
 * <p>A field costs nothing until a rule reads it: each is a small function over the context, and what is
 * computed from the request (the query's arguments, the cookies, the body's form) is computed by
 * {@link Derived} on the first read and kept in the context's {@link Expression.Context#memo() memo}.
 *
 * <p>Cloudflare fields that Gatehouse cannot fill are listed with the reason, so that a rule naming one
 * is refused with that reason rather than as a typo.
 */
final class Fields {

  /** A field: its canonical name, its type and the node that reads it ({@code null} for the header map). */
  record Field(String name, Type type, Object node) {}

  static final String HEADERS = "http.request.headers";

  /** The prefix of the fields that read the request body, which need body inspection to be configured. */
  static final String BODY = "http.request.body.";

  private static final Map<String, Field> BY_NAME = new LinkedHashMap<>();
  private static final Map<String, String> UNAVAILABLE = new LinkedHashMap<>();

  static {
    field("ip.src", Type.IP, (Nodes.Ip) c -> c.clientIp());
    field("ip.src.asnum", Type.INTEGER, (Nodes.Int) c -> c.asn());
    field("ip.src.country", Type.STRING, (Nodes.Str) c -> c.country());
    field("ip.src.continent", Type.STRING, (Nodes.Str) c -> c.continent());
    field("http.host", Type.STRING, (Nodes.Str) c -> c.host());
    field("http.request.method", Type.STRING, (Nodes.Str) c -> c.method());
    field("http.request.uri", Type.STRING, (Nodes.Str) c -> c.uri());
    field("http.request.uri.path", Type.STRING, (Nodes.Str) c -> c.path());
    field("http.request.uri.query", Type.STRING, (Nodes.Str) c -> c.query());
    field("http.user_agent", Type.STRING, (Nodes.Str) c -> c.userAgent());
    field("http.referer", Type.STRING, (Nodes.Str) c -> c.referer());
    field("http.cookie", Type.STRING, (Nodes.Str) c -> c.cookie());
    field(HEADERS, Type.MAP, null);
    field("cf.threat_score", Type.INTEGER, (Nodes.Int) c -> c.threatScore());
    field("cf.client.bot", Type.BOOLEAN, (Nodes.Cond) c -> c.verifiedBot());

    // URI
    field("http.request.full_uri", Type.STRING, (Nodes.Str) Derived::fullUri);
    field("http.request.uri.path.extension", Type.STRING, (Nodes.Str) Derived::extension);
    field("http.request.uri.args", Type.MAP, (Nodes.Mp) c -> Derived.args(c).map());
    field("http.request.uri.args.names", Type.ARRAY, (Nodes.Arr) c -> Derived.args(c).names());
    field("http.request.uri.args.values", Type.ARRAY, (Nodes.Arr) c -> Derived.args(c).values());
    field("raw.http.request.uri", Type.STRING, (Nodes.Str) Derived::rawUri);
    field("raw.http.request.uri.path", Type.STRING, (Nodes.Str) c -> c.rawPath());
    field("raw.http.request.uri.query", Type.STRING, (Nodes.Str) c -> c.query());
    field("raw.http.request.full_uri", Type.STRING, (Nodes.Str) Derived::rawFullUri);
    alias("raw.http.request.uri.args", "http.request.uri.args");
    alias("raw.http.request.uri.args.names", "http.request.uri.args.names");
    alias("raw.http.request.uri.args.values", "http.request.uri.args.values");

    // Headers and cookies
    field("http.request.headers.names", Type.ARRAY, (Nodes.Arr) Derived::headerNames);
    field("http.request.headers.values", Type.ARRAY, (Nodes.Arr) Derived::headerValues);
    field("http.request.headers.truncated", Type.BOOLEAN, (Nodes.Cond) c -> c.headersTruncated());
    field("http.request.cookies", Type.MAP, (Nodes.Mp) Derived::cookies);
    field("http.request.accepted_languages", Type.ARRAY, (Nodes.Arr) Derived::acceptedLanguages);
    field("http.x_forwarded_for", Type.STRING, (Nodes.Str) Derived::forwardedFor);
    field("http.request.version", Type.STRING, (Nodes.Str) c -> c.httpVersion());

    // The connection
    field("ssl", Type.BOOLEAN, (Nodes.Cond) c -> c.ssl());
    field("cf.edge.server_port", Type.INTEGER, (Nodes.Int) c -> orMissing(c.serverPort()));
    field("cf.edge.server_ip", Type.IP, (Nodes.Ip) c -> c.serverIp());
    field("cf.tls_client_auth.cert_presented", Type.BOOLEAN, (Nodes.Cond) c -> c.clientCertPresented());
    field("cf.tls_client_auth.cert_verified", Type.BOOLEAN, (Nodes.Cond) c -> c.clientCertVerified());
    field("http.request.timestamp.sec", Type.INTEGER, (Nodes.Int) c -> {
      long ms = c.timestampMillis();
      return ms < 0 ? Nodes.MISSING : ms / 1000;
    });
    field("http.request.timestamp.msec", Type.INTEGER, (Nodes.Int) c -> {
      long ms = c.timestampMillis();
      return ms < 0 ? Nodes.MISSING : ms % 1000;
    });
    field("cf.ray_id", Type.STRING, (Nodes.Str) c -> c.rayId());

    // Where the client is
    field("ip.src.is_in_european_union", Type.BOOLEAN, (Nodes.Cond) Derived::inEuropeanUnion);
    place("ip.src.city", Place.CITY);
    place("ip.src.region", Place.REGION);
    place("ip.src.region_code", Place.REGION_CODE);
    place("ip.src.subdivision_1_iso_code", Place.SUBDIVISION_1_ISO_CODE);
    place("ip.src.postal_code", Place.POSTAL_CODE);
    place("ip.src.lat", Place.LATITUDE);
    place("ip.src.lon", Place.LONGITUDE);
    place("ip.src.metro_code", Place.METRO_CODE);

    // Bots
    field("cf.verified_bot_category", Type.STRING, (Nodes.Str) c -> c.verifiedBotCategory());
    field("cf.bot_management.static_resource", Type.BOOLEAN, (Nodes.Cond) Derived::staticResource);
    field("cf.bot_management.score", Type.INTEGER, (Nodes.Int) c -> orMissing(c.botScore()));

    // The body, when inspected
    field(BODY + "raw", Type.STRING, (Nodes.Str) Body::raw);
    field(BODY + "size", Type.INTEGER, (Nodes.Int) c -> orMissing(c.bodySize()));
    field(BODY + "truncated", Type.BOOLEAN, (Nodes.Cond) c -> c.bodyTruncated());
    field(BODY + "form", Type.MAP, (Nodes.Mp) c -> Body.form(c).map());
    field(BODY + "form.names", Type.ARRAY, (Nodes.Arr) c -> Body.form(c).names());
    field(BODY + "form.values", Type.ARRAY, (Nodes.Arr) c -> Body.form(c).values());
    field(BODY + "mime", Type.STRING, (Nodes.Str) Body::mime);
    field(BODY + "multipart", Type.MAP, (Nodes.Mp) c -> Body.multipart(c).map());
    field(BODY + "multipart.values", Type.ARRAY, (Nodes.Arr) c -> Body.multipart(c).values());
    field(BODY + "multipart.names", Type.ARRAYS, (Nodes.Arrs) c -> Body.multipart(c).names());
    field(BODY + "multipart.filenames", Type.ARRAYS, (Nodes.Arrs) c -> Body.multipart(c).filenames());
    field(BODY + "multipart.content_types", Type.ARRAYS, (Nodes.Arrs) c -> Body.multipart(c).contentTypes());

    // Known only once the application has answered: for rate limiting rules' counting expressions.
    field("http.response.code", Type.INTEGER, (Nodes.Int) c -> c.responseCode());
    alias("ip.geoip.asnum", "ip.src.asnum");
    alias("ip.geoip.country", "ip.src.country");
    alias("ip.geoip.continent", "ip.src.continent");
    alias("ip.geoip.is_in_european_union", "ip.src.is_in_european_union");
    for (String detail : List.of("city", "region", "region_code", "subdivision_1_iso_code", "postal_code", "lat",
        "lon", "metro_code")) {
      alias("ip.geoip." + detail, "ip.src." + detail);
    }
    alias("cf.bot_management.verified_bot", "cf.client.bot");

    unavailable("Cloudflare's WAF attack score, which Gatehouse does not compute", "cf.waf.score",
        "cf.waf.score.sqli", "cf.waf.score.xss", "cf.waf.score.rce", "cf.waf.score.class");
    unavailable("Cloudflare's TLS fingerprinting and JavaScript detection, which Gatehouse does not have",
        "cf.bot_management.ja3_hash", "cf.bot_management.ja4", "cf.bot_management.js_detection.passed",
        "cf.bot_management.detection_ids", "cf.bot_management.corporate_proxy");
    unavailable("part of the response, which the rules here do not read (but for http.response.code in a rate"
        + " limiting rule's counting expression)", "http.response.headers", "http.response.content_type.media_type");
    unavailable("Cloudflare's account and zone data, which Gatehouse does not have", "cf.zone.name", "cf.zone.plan",
        "cf.metal.id", "cf.hostname.metadata", "cf.worker.upstream_zone", "cf.random_seed", "cf.colo.id",
        "cf.colo.name");
    unavailable("Cloudflare's malicious-upload detection, which Gatehouse does not have",
        "cf.waf.content_scan.has_obj", "cf.waf.content_scan.has_malicious_obj",
        "cf.waf.content_scan.num_malicious_obj", "cf.waf.content_scan.obj_results");
    unavailable("Cloudflare's leaked-credential detection, which Gatehouse does not have",
        "cf.waf.credential_check.password_leaked", "cf.waf.credential_check.username_and_password_leaked",
        "cf.waf.auth_detected");
    unavailable("Cloudflare's API Shield and AI Gateway detection, which Gatehouse does not have",
        "http.request.jwt.claims", "cf.api_gateway.auth_id_present", "cf.api_gateway.request_violates_schema",
        "cf.api_gateway.fallthrough_detected", "cf.llm.prompt.detected", "cf.llm.prompt.pii_detected");
  }

  private Fields() {}

  private static long orMissing(long value) {
    return value < 0 ? Nodes.MISSING : value;
  }

  private static void field(String name, Type type, Object node) {
    BY_NAME.put(name, new Field(name, type, node));
  }

  private static void place(String name, Place detail) {
    field(name, Type.STRING, (Nodes.Str) c -> c.place(detail));
  }

  private static void alias(String alias, String canonical) {
    BY_NAME.put(alias, BY_NAME.get(canonical));
  }

  private static void unavailable(String what, String... names) {
    for (String name : names) {
      UNAVAILABLE.put(name, what);
    }
  }

  /** The field written as {@code name} (canonical or alias), or {@code null}. */
  static Field get(String name) {
    return BY_NAME.get(name);
  }

  /**
   * Why Gatehouse cannot fill the Cloudflare field {@code name} ("Cloudflare's WAF attack score, which
   * Gatehouse does not compute"), or
   * {@code null} when it is not such a field.
   */
  static String unavailable(String name) {
    return UNAVAILABLE.get(name);
  }

  /** Every accepted name, canonical names first. */
  static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The accepted name closest to {@code written}, if it is close enough to be a typo, or {@code null}. */
  static String suggest(String written, Iterable<String> candidates) {
    return Values.closest(written, candidates, Math.max(2, Math.min(4, written.length() / 6)));
  }
}
