package io.gatehouse.core.engine;

import io.gatehouse.core.Source;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.geo.GeoLookup;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Records security events: into the bounded in-memory log, and to the SLF4J logger
 * {@code gatehouse.events}, one line per event. Thread-safe.
 *
 * <p>Each line carries the event twice. The message is the whole event as escaped logfmt, so a text
 * backend writes a line whose keys cannot be forged by request text. The same fields are attached as
 * SLF4J key-values for structured backends, which keep their types and do their own escaping.
 */
final class EventRecorder {

  /** Security events are written here, one line per event. */
  private static final Logger EVENTS = LoggerFactory.getLogger("gatehouse.events");

  private final EventLog log;
  private volatile ClusterLink cluster;

  EventRecorder(EventLog log) {
    this.log = log;
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
      Map<String, Object> fields = e.toMap();
      LoggingEventBuilder b = EVENTS.atInfo();
      for (Map.Entry<String, Object> kv : fields.entrySet()) {
        b = b.addKeyValue(kv.getKey(), kv.getValue());
      }
      // Passed as an argument, not as the pattern, so "{}" in request text is never substituted.
      b.log("{}", Logfmt.line(fields));
    }
  }
}
