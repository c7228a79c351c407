package io.gatehouse.spring;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.Status;
import io.gatehouse.core.reputation.FeedRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the {@code gatehouse} health contributor reports, for Boot 3's and Boot 4's health APIs alike.
 * Gatehouse is up while it judges requests: a feed that fails to refresh keeps its last good data and
 * missing geo data only means fewer facts, and an unreachable cluster store leaves each instance deciding
 * with what it has, so none of them takes the application out of service. They show in the details,
 * under {@code problems}, with {@code degraded: true}.
 */
final class GatehouseHealth {

  private GatehouseHealth() {}

  static Map<String, Object> details(Gatehouse g) {
    Status s = g.status();
    List<String> problems = new ArrayList<>();
    Map<String, Object> feeds = new LinkedHashMap<>();
    for (FeedRegistry.Status f : s.feeds()) {
      Map<String, Object> feed = new LinkedHashMap<>();
      feed.put("entries", f.entries());
      feed.put("loaded_at", f.loadedAt() == null ? "never" : f.loadedAt().toString());
      if (f.lastError() != null && !f.lastError().isEmpty()) {
        feed.put("last_error", f.lastError());
        problems.add("feed " + f.name() + ": " + f.lastError());
      } else if (f.loadedAt() == null) {
        problems.add("feed " + f.name() + ": not loaded yet");
      }
      feeds.put(f.name(), feed);
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("version", s.version());
    d.put("mode", s.mode().name().toLowerCase(Locale.ROOT));
    d.put("security_level", s.securityLevel());
    d.put("configuration", s.configuration());
    d.put("access_rules", s.accessRules());
    d.put("geo", s.geo());
    d.put("feeds", feeds);
    Status.Cluster c = s.cluster();
    if (!c.state().equals("off")) {
      Map<String, Object> cluster = new LinkedHashMap<>();
      cluster.put("state", c.state());
      cluster.put("name", c.name());
      cluster.put("node_id", c.nodeId());
      cluster.put("dropped", c.dropped());
      if (c.lastError() != null && !c.lastError().isEmpty()) {
        cluster.put("last_error", c.lastError());
      }
      d.put("cluster", cluster);
      if (!c.healthy()) {
        problems.add("cluster " + c.name() + " is " + c.state() + (c.lastError() == null || c.lastError().isEmpty()
            ? "" : ": " + c.lastError()) + "; each instance decides with what it has");
      }
    }
    d.put("events_held", s.eventsHeld());
    d.put("internal_failures", s.internalFailures());
    if (s.internalFailures() > 0) {
      problems.add(s.internalFailures() + " internal failures since start (each is an internal_error event)");
    }
    if (s.lastReload() != null && !s.lastReload().applied()) {
      problems.add("the last reload was refused: " + s.lastReload().problems().size() + " problems; the running"
          + " configuration stays");
    }
    d.put("degraded", !problems.isEmpty());
    d.put("problems", problems);
    return d;
  }
}
