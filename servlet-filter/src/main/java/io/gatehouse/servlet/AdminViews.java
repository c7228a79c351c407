package io.gatehouse.servlet;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Explanation;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.ReloadResult;
import io.gatehouse.core.RuleChange;
import io.gatehouse.core.Status;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.rules.AccessRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin API's JSON documents, as maps for JSON-B to write: what the dashboard and the owner's scripts
 * read, so a key once published keeps its name. Keys are snake_case; a value the engine may not have is
 * an empty string rather than absent, so that readers need no null checks.
 */
final class AdminViews {

  private AdminViews() {}

  static Map<String, Object> error(String message) {
    return Map.of("error", message);
  }

  static Map<String, Object> events(List<SecurityEvent> events, Gatehouse.EventView view) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SecurityEvent e : events) {
      out.add(e.toMap());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", out);
    scope(m, view);
    return m;
  }

  /** Whose events answered: {@code cluster} or {@code local}, and why only the local ones in a cluster. */
  private static void scope(Map<String, Object> m, Gatehouse.EventView view) {
    m.put("scope", view.cluster() ? "cluster" : "local");
    if (!view.note().isEmpty()) {
      m.put("note", view.note());
    }
  }

  static Map<String, Object> stats(EventLog.Stats s, Gatehouse.EventView view) {
    Map<String, Object> m = new LinkedHashMap<>();
    scope(m, view);
    m.put("since", s.since().toString());
    m.put("bucket_seconds", s.bucket().toSeconds());
    m.put("total", s.total());
    List<Map<String, Object>> buckets = new ArrayList<>();
    for (EventLog.Stats.Bucket b : s.buckets()) {
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

  private static List<Map<String, Object>> counts(List<EventLog.Stats.Count> counts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EventLog.Stats.Count c : counts) {
      out.add(Map.of("value", c.value(), "count", c.count()));
    }
    return out;
  }

  static Map<String, Object> explanation(Explanation x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", decision(x.decision()));
    m.put("client_ip", x.clientIp());
    m.put("peer_ip", x.peerIp());
    m.put("client_ip_derivation", x.clientIpDerivation());
    m.put("asn", x.asn());
    m.put("as_organization", x.asOrganization());
    m.put("country", x.country());
    m.put("continent", x.continent());
    m.put("threat_score", x.threatScore());
    m.put("threat_sources", x.threatSources());
    m.put("visitor_score", x.visitorScore());
    m.put("address_score", x.addressScore());
    m.put("shared_ip", x.sharedIp());
    m.put("shared_ip_how", x.sharedHow());
    m.put("settings", x.settings());
    List<Map<String, Object>> phases = new ArrayList<>();
    for (Explanation.PhaseTrace t : x.phases()) {
      phases.add(Map.of("phase", t.phase(), "outcome", t.outcome(), "details", t.details()));
    }
    m.put("phases", phases);
    return m;
  }

  private static Map<String, Object> decision(Decision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("action", d.action().id());
    m.put("enforced", d.enforced());
    m.put("source", d.source().id());
    m.put("rule_id", d.ruleId() == null ? "" : d.ruleId());
    m.put("description", d.description() == null ? "" : d.description());
    m.put("error_code", d.errorCode());
    return m;
  }

  /** Every access rule in force; {@code managed} ones came through the API and can be removed by it. */
  static Map<String, Object> rules(Gatehouse g) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AccessRule r : g.accessRules()) {
      out.add(rule(r, g.isManaged(r)));
    }
    return Map.of("rules", out);
  }

  static Map<String, Object> rule(AccessRule r, boolean managed) {
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

  /** A refused rule change: why, and the configuration problems it would have caused. */
  static Map<String, Object> change(RuleChange c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", c.error());
    if (!c.problems().isEmpty()) {
      m.put("problems", problems(c.problems()));
    }
    return m;
  }

  static Map<String, Object> reload(ReloadResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied", r.applied());
    m.put("at", r.at().toString());
    m.put("problems", problems(r.problems()));
    return m;
  }

  private static List<String> problems(List<ConfigException.Problem> problems) {
    return problems.stream().map(ConfigException.Problem::toString).toList();
  }

  static Map<String, Object> status(Status s) {
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
    m.put("feeds", s.feeds().stream().map(AdminViews::feed).toList());
    m.put("events", Map.of("held", s.eventsHeld(), "capacity", s.eventsCapacity(), "recorded", s.eventsRecorded()));
    m.put("tracked_addresses", s.trackedAddresses());
    m.put("internal_failures", s.internalFailures());
    m.put("last_reload", s.lastReload() == null ? Map.of() : reload(s.lastReload()));
    m.put("cluster", cluster(s.cluster()));
    return m;
  }

  private static Map<String, Object> cluster(Status.Cluster c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", c.state());
    m.put("healthy", c.healthy());
    if (!c.state().equals("off")) {
      m.put("store", c.store());
      m.put("name", c.name());
      m.put("node_id", c.nodeId());
      m.put("since", c.since() == null ? "" : c.since().toString());
      m.put("last_error", c.lastError());
      m.put("queued", c.queued());
      m.put("dropped", c.dropped());
      m.put("sent", c.sent());
      m.put("received", c.received());
      m.put("skipped", c.skipped());
      m.put("pending_rule_changes", c.pendingRuleChanges());
      m.put("last_rule_sync", c.lastRuleSync() == null ? "" : c.lastRuleSync().toString());
    }
    return m;
  }

  private static Map<String, Object> feed(FeedRegistry.Status f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", f.name());
    m.put("source", f.source());
    m.put("format", f.format());
    m.put("score", f.score());
    m.put("entries", f.entries());
    m.put("ranges", f.ranges());
    m.put("rejected_lines", f.rejected());
    m.put("rejected_sample", f.rejectedSample().stream().map(Object::toString).toList());
    m.put("loaded_at", f.loadedAt() == null ? "" : f.loadedAt().toString());
    m.put("loaded_from", f.loadedFrom());
    m.put("last_attempt", f.lastAttempt() == null ? "" : f.lastAttempt().toString());
    m.put("last_error", f.lastError() == null ? "" : f.lastError());
    return m;
  }
}
