package io.gatehouse.core.engine;

import io.gatehouse.core.Source;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.geo.GeoLookup;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Records security events: into the bounded in-memory log, and to the SLF4J logger
 * {@code gatehouse.events}, one line per event. Thread-safe.
 *
 * <p>Each line carries the event twice. The message is the whole event as escaped logfmt, so a text
 * backend writes a line whose keys cannot be forged by request text, the essentials first (what was
 * done, the error code, the Ray ID, the client, the rule), since a console pattern may cut it. The same fields are attached as
 * SLF4J key-values for structured backends, which keep their types and do their own escaping.
 */
final class EventRecorder {

  /** Security events are written here, one line per event. */
  private static final Logger EVENTS = LoggerFactory.getLogger("gatehouse.events");

  /**
   * The fields a reader scanning a log needs first, in this order, so that a text layout's line starts
   * {@code action=block error_code=1012 ray_id=... client_ip=... rule_id=...}; the rest follow.
   */
  private static final List<String> FIRST = List.of("action", "error_code", "ray_id", "client_ip", "rule_id", "source");

  private static final AtomicBoolean WARNED_NO_PROVIDER = new AtomicBoolean();

  private final EventLog log;
  private volatile ClusterLink cluster;

  EventRecorder(EventLog log) {
    this.log = log;
    String warning = noProviderWarning(LoggerFactory.getILoggerFactory());
    if (warning != null && WARNED_NO_PROVIDER.compareAndSet(false, true)) {
      // The one place Gatehouse writes to stderr: without an SLF4J provider nothing else would say it.
      System.err.println(warning);
    }
  }

  /** What to tell the operator when SLF4J has no provider and every event line would vanish, or null. */
  static String noProviderWarning(ILoggerFactory factory) {
    if (!(factory instanceof NOPLoggerFactory)) {
      return null;
    }
    return "Gatehouse: no SLF4J provider is on the classpath, so security events (logger gatehouse.events) and"
        + " warnings are logged nowhere. Add one beside gatehouse-core: org.slf4j:slf4j-jdk14 logs through"
        + " java.util.logging (the container's log on Tomcat), or ch.qos.logback:logback-classic, or"
        + " org.apache.logging.log4j:log4j-slf4j2-impl.";
  }

  /** The event's fields in the order its log line gives them: {@link #FIRST}, then the rest as they come. */
  static Map<String, Object> lineOrder(Map<String, Object> fields) {
    Map<String, Object> ordered = new LinkedHashMap<>(fields.size() * 2);
    for (String k : FIRST) {
      if (fields.containsKey(k)) {
        ordered.put(k, fields.get(k));
      }
    }
    ordered.putAll(fields);
    return ordered;
  }

  /** Records what was done to the request of {@code ev}, with its AS and country when geo data exists. */
  void record(Evaluation ev, SecurityEvent.Kind kind, Source source, String ruleId, String description, int errorCode,
      String rayId, Instant time, boolean enforced) {
    boolean geo = ev.hasGeo();
    record(SecurityEvent.of(kind, source, ruleId, description, errorCode, rayId, time, ev.facts, ev.client,
        geo ? ev.asnInfo() : GeoLookup.Asn.UNKNOWN, geo ? ev.country() : GeoLookup.UNKNOWN, ev.threatScore(), ev.visitorScore(), ev.addressScore(),
        ev.sharedHow(), enforced));
  }

  /** From now on, events are sent to the cluster too. */
  void cluster(ClusterLink link) {
    this.cluster = link;
  }

  EventLog log() {
    return log;
  }

  void record(SecurityEvent e) {
    log.append(e);
    ClusterLink c = cluster;
    if (c != null) {
      c.event(e);
    }
    if (EVENTS.isInfoEnabled()) {
      Map<String, Object> fields = lineOrder(e.toMap());
      LoggingEventBuilder b = EVENTS.atInfo();
      for (Map.Entry<String, Object> kv : fields.entrySet()) {
        b = b.addKeyValue(kv.getKey(), kv.getValue());
      }
      // Passed as an argument, not as the pattern, so "{}" in request text is never substituted.
      b.log("{}", Logfmt.line(fields));
    }
  }
}
