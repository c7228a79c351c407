package io.gatehouse.servlet;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Explanation;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.ReloadResult;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.RuleChange;
import io.gatehouse.core.Status;
import io.gatehouse.core.config.ConfigProblem;
import io.gatehouse.core.events.EventQuery;
import io.gatehouse.core.events.EventStats;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.policy.AdminSettings;
import io.gatehouse.core.reputation.FeedStatus;
import io.gatehouse.core.rules.AccessRule;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin endpoints under {@code gatehouse.admin.path}: events, event by Ray ID, statistics, explain,
 * access rules, reload, status, and the dashboard page. They exist only when {@code gatehouse.admin.token}
 * is set. Every data endpoint needs {@code Authorization: Bearer <token>} (compared in constant time; 401
 * without detail otherwise); a client outside {@code gatehouse.admin.allowed-ips} gets 404, as if nothing
 * were there. The dashboard page itself carries no data and asks for the token, which it keeps in the
 * tab's session storage and sends as a header, never as a cookie, so no other site can make a browser
 * use it.
 *
 * <p>Thread-safe.
 */
final class AdminEndpoints {

  private static final int MAX_BODY = 16 * 1024;

  private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withFormatting(false));
  private final Dashboard dashboard = new Dashboard();

  /** Whether {@code canonicalPath} is under the admin path and the endpoints are on. */
  static boolean handles(AdminSettings admin, String canonicalPath) {
    return admin.enabled() && (canonicalPath.equals(admin.path()) || canonicalPath.startsWith(admin.path() + "/"));
  }

  void handle(Gatehouse g, RequestFacts facts, Decision decision, String canonicalPath, HttpServletRequest req,
      HttpServletResponse resp) throws IOException {
    AdminSettings admin = g.admin();
    SecurityHeaders.admin(resp, g.newRayId());
    if (!admin.allows(decision.client().address())) {
      resp.setStatus(404);
      return;
    }
    String sub = canonicalPath.substring(admin.path().length());
    String method = facts.method().toUpperCase(Locale.ROOT);
    if ((sub.isEmpty() || sub.equals("/")) && (method.equals("GET") || method.equals("HEAD"))) {
      if (sub.isEmpty()) {
        resp.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
        resp.setHeader("Location", admin.path() + "/");
        return;
      }
      dashboard.render(resp, admin.path(), method.equals("HEAD"));
      return;
    }
    String auth = facts.header("Authorization");
    String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    if (!admin.tokenMatches(presented)) {
      resp.setStatus(401);
      resp.setHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
      return;
    }
    try {
      route(g, facts, method, sub, req, resp);
    } catch (BadRequest e) {
      json(resp, 400, Map.of("error", e.getMessage()));
    }
  }

  private void route(Gatehouse g, RequestFacts facts, String method, String sub, HttpServletRequest req,
      HttpServletResponse resp) throws IOException {
    switch (sub) {
      case "/events" -> {
        requireMethod(method, "GET");
        json(resp, 200, Map.of("events", events(g, req)));
      }
      case "/stats" -> {
        requireMethod(method, "GET");
        json(resp, 200, stats(g, req));
      }
      case "/explain" -> {
        requireMethod(method, "GET");
        json(resp, 200, explain(g, req));
      }
      case "/access-rules" -> {
        if (method.equals("GET")) {
          json(resp, 200, Map.of("rules", rules(g)));
        } else if (method.equals("POST")) {
          addRule(g, req, resp);
        } else {
          throw new BadRequest("use GET or POST");
        }
      }
      case "/reload" -> {
        requireMethod(method, "POST");
        ReloadResult r = g.reload();
        json(resp, r.applied() ? 200 : 422, reload(r));
      }
      case "/status" -> {
        requireMethod(method, "GET");
        json(resp, 200, status(g));
      }
      default -> {
        if (sub.startsWith("/events/") && method.equals("GET")) {
          String ray = sub.substring("/events/".length());
          var found = g.events().findByRay(ray);
          if (found.isPresent()) {
            json(resp, 200, found.get().toMap());
          } else {
            json(resp, 404, Map.of("error", "no event with Ray ID " + ray));
          }
        } else if (sub.startsWith("/access-rules/") && method.equals("DELETE")) {
          RuleChange c = g.removeAccessRule(sub.substring("/access-rules/".length()));
          if (c.ok()) {
            resp.setStatus(204);
          } else {
            json(resp, c.status(), change(c));
          }
        } else {
          json(resp, 404, Map.of("error", "no such endpoint"));
        }
      }
    }
  }

  private static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw new BadRequest("use " + expected);
    }
  }

  private static List<Map<String, Object>> events(Gatehouse g, HttpServletRequest req) {
    Cidr network = null;
    String ip = param(req, "ip");
    if (ip != null) {
      try {
        network = Cidr.parse(ip);
      } catch (IllegalArgumentException e) {
        throw new BadRequest("ip: " + e.getMessage());
      }
    }
    int limit = intParam(req, "limit", 100, 1, 10_000);
    Instant since = since(g, param(req, "since"));
    List<Map<String, Object>> out = new ArrayList<>();
    for (SecurityEvent e : g.events().query(new EventQuery(network, param(req, "ray"), param(req, "action"),
        param(req, "source"), since, limit))) {
      out.add(e.toMap());
    }
    return out;
  }

  private static Map<String, Object> stats(Gatehouse g, HttpServletRequest req) {
    Instant now = g.clock().instant();
    Instant since = since(g, param(req, "since"));
    if (since == null) {
      since = now.minus(Duration.ofHours(1));
    }
    Duration bucket = param(req, "bucket") == null ? defaultBucket(Duration.between(since, now))
        : duration(param(req, "bucket"));
    EventStats s = g.events().stats(since, now, bucket, intParam(req, "top", 10, 1, 100));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("since", s.since().toString());
    m.put("bucket_seconds", s.bucket().toSeconds());
    m.put("total", s.total());
    List<Map<String, Object>> buckets = new ArrayList<>();
    for (EventStats.Bucket b : s.buckets()) {
      buckets.add(Map.of("start", b.start().toString(), "by_action", b.byAction()));
    }
    m.put("buckets", buckets);
    m.put("by_action", s.byAction());
    m.put("by_source", s.bySource());
    m.put("top_ips", counts(s.topIps()));
    m.put("top_asns", counts(s.topAsns()));
    m.put("top_paths", counts(s.topPaths()));
    return m;
  }

  private static Duration defaultBucket(Duration span) {
    long minutes = Math.max(1, span.toMinutes() / 60);
    return Duration.ofMinutes(minutes);
  }

  private static List<Map<String, Object>> counts(List<EventStats.Count> counts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EventStats.Count c : counts) {
      out.add(Map.of("value", c.value(), "count", c.count()));
    }
    return out;
  }

  private static Map<String, Object> explain(Gatehouse g, HttpServletRequest req) {
    String ip = param(req, "ip");
    if (ip == null) {
      throw new BadRequest("ip is required");
    }
    String path = param(req, "path") == null ? "/" : param(req, "path");
    RequestFacts.Builder b = RequestFacts.builder().peer(ip).method(param(req, "method") == null ? "GET"
        : param(req, "method")).host(param(req, "host") == null ? "" : param(req, "host")).uri(path);
    if (param(req, "ua") != null) {
      b.header("User-Agent", param(req, "ua"));
    }
    String[] headers = req.getParameterValues("header");
    if (headers != null) {
      for (String h : headers) {
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw new BadRequest("header must be Name: Value, not '" + h + "'");
        }
        b.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
      }
    }
    Explanation x = g.explain(b.build());
    Decision d = x.decision();
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("action", d.action().id());
    decision.put("enforced", d.enforced());
    decision.put("source", d.source().id());
    decision.put("rule_id", d.ruleId() == null ? "" : d.ruleId());
    decision.put("description", d.description() == null ? "" : d.description());
    decision.put("error_code", d.errorCode());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", decision);
    m.put("client_ip", x.clientIp());
    m.put("peer_ip", x.peerIp());
    m.put("client_ip_derivation", x.clientIpDerivation());
    m.put("asn", x.asn());
    m.put("as_organization", x.asOrganization());
    m.put("country", x.country());
    m.put("continent", x.continent());
    m.put("threat_score", x.threatScore());
    m.put("threat_sources", x.threatSources());
    m.put("shared_ip", x.sharedIp());
    m.put("settings", x.settings());
    List<Map<String, Object>> phases = new ArrayList<>();
    for (Explanation.PhaseTrace t : x.phases()) {
      phases.add(Map.of("phase", t.phase(), "outcome", t.outcome(), "details", t.details()));
    }
    m.put("phases", phases);
    return m;
  }

  private static List<Map<String, Object>> rules(Gatehouse g) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AccessRule r : g.accessRules()) {
      out.add(rule(r, g.isManaged(r)));
    }
    return out;
  }

  private static Map<String, Object> rule(AccessRule r, boolean managed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("action", r.action().id());
    m.put("target", r.target().id());
    m.put("value", r.value());
    m.put("notes", r.notes());
    m.put("origin", r.origin());
    m.put("managed", managed);
    return m;
  }

  private void addRule(Gatehouse g, HttpServletRequest req, HttpServletResponse resp) throws IOException {
    byte[] body = req.getInputStream().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      throw new BadRequest("body too large");
    }
    Map<?, ?> in;
    try {
      in = jsonb.fromJson(new String(body, StandardCharsets.UTF_8), Map.class);
    } catch (JsonbException e) {
      throw new BadRequest("expected a JSON object {\"action\", \"target\", \"value\", \"notes\"}");
    }
    if (in == null) {
      throw new BadRequest("expected a JSON object {\"action\", \"target\", \"value\", \"notes\"}");
    }
    RuleChange c = g.addAccessRule(string(in, "id"), string(in, "action"), string(in, "target"), string(in, "value"),
        string(in, "notes"));
    if (c.ok()) {
      AccessRule added = g.accessRules().stream().filter(r -> r.id().equals(c.rule().id()))
          .findFirst().orElse(c.rule());
      json(resp, c.status(), rule(added, true));
    } else {
      json(resp, c.status(), change(c));
    }
  }

  private static String string(Map<?, ?> in, String key) {
    Object v = in.get(key);
    if (v != null && !(v instanceof String)) {
      throw new BadRequest(key + " must be a string");
    }
    return (String) v;
  }

  private static Map<String, Object> change(RuleChange c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", c.error());
    if (!c.problems().isEmpty()) {
      m.put("problems", c.problems().stream().map(ConfigProblem::toString).toList());
    }
    return m;
  }

  private static Map<String, Object> reload(ReloadResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied", r.applied());
    m.put("at", r.at().toString());
    m.put("problems", r.problems().stream().map(ConfigProblem::toString).toList());
    return m;
  }

  private static Map<String, Object> status(Gatehouse g) {
    Status s = g.status();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", s.version());
    m.put("configuration", s.configuration());
    m.put("loaded_at", s.loadedAt().toString());
    m.put("summary", s.summary());
    m.put("mode", s.mode().name().toLowerCase(Locale.ROOT));
    m.put("security_level", s.securityLevel());
    m.put("access_rules", s.accessRules());
    m.put("access_rules_file", s.accessRulesFile());
    m.put("geo", s.geo());
    m.put("client_ip", s.clientIp());
    m.put("challenge_secret_configured", s.challengeSecretConfigured());
    List<Map<String, Object>> feeds = new ArrayList<>();
    for (FeedStatus f : s.feeds()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("name", f.name());
      fm.put("source", f.source());
      fm.put("format", f.format());
      fm.put("score", f.score());
      fm.put("entries", f.entries());
      fm.put("ranges", f.ranges());
      fm.put("rejected_lines", f.rejected());
      fm.put("rejected_sample", f.rejectedSample().stream().map(Object::toString).toList());
      fm.put("loaded_at", f.loadedAt() == null ? "" : f.loadedAt().toString());
      fm.put("loaded_from", f.loadedFrom());
      fm.put("last_attempt", f.lastAttempt() == null ? "" : f.lastAttempt().toString());
      fm.put("last_error", f.lastError() == null ? "" : f.lastError());
      feeds.add(fm);
    }
    m.put("feeds", feeds);
    m.put("events", Map.of("held", s.eventsHeld(), "capacity", s.eventsCapacity(), "recorded", s.eventsRecorded()));
    m.put("tracked_addresses", s.trackedAddresses());
    m.put("internal_failures", s.internalFailures());
    m.put("last_reload", s.lastReload() == null ? Map.of() : reload(s.lastReload()));
    return m;
  }

  private void json(HttpServletResponse resp, int status, Object body) throws IOException {
    byte[] bytes = jsonb.toJson(body).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json;charset=utf-8");
    SecurityHeaders.adminJson(resp);
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  private static String param(HttpServletRequest req, String name) {
    String v = req.getParameter(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static int intParam(HttpServletRequest req, String name, int dflt, int min, int max) {
    String v = param(req, name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new BadRequest(name + " must be " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be a number");
    }
  }

  /** An ISO-8601 instant, or a duration back from now ({@code 15m}, {@code 1h}, {@code PT30M}). */
  private static Instant since(Gatehouse g, String v) {
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      return g.clock().instant().minus(duration(v));
    }
  }

  private static Duration duration(String v) {
    Duration d = io.gatehouse.core.config.Values.parseDuration(v);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new BadRequest("'" + v + "' is neither an ISO-8601 time nor a duration such as 15m, 1h or 7d");
    }
    return d;
  }

  /** A request the endpoints cannot make sense of: 400 with the reason. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
