package io.gatehouse.spring;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.ReloadResult;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.net.Cidr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/gatehouse}: the engine's status, its security events and a reload, secured and exposed
 * like the application's other Actuator endpoints ({@code management.endpoints.web.exposure.include}).
 *
 * <ul>
 *   <li>{@code GET /actuator/gatehouse} — status: version, configuration, rules, feeds, events held
 *   <li>{@code GET /actuator/gatehouse/events} — the latest 100 events, newest first
 *   <li>{@code GET /actuator/gatehouse/events/{ray}} — one event by Ray ID
 *   <li>{@code GET /actuator/gatehouse/{ip|action|source}/{value}} — the latest 100 events of a client
 *       address, an action or a source
 *   <li>{@code POST /actuator/gatehouse} — reload now; {@code POST /actuator/gatehouse/force} forces a
 *       change the half-written-file guard refused
 * </ul>
 *
 * <p>Thread-safe.
 */
@Endpoint(id = "gatehouse")
public class GatehouseEndpoint {

  private static final int LIMIT = 100;

  private final Gatehouse gatehouse;

  public GatehouseEndpoint(Gatehouse gatehouse) {
    this.gatehouse = gatehouse;
  }

  @ReadOperation
  public Map<String, Object> status() {
    return GatehouseHealth.details(gatehouse);
  }

  @ReadOperation
  public Map<String, Object> events(@Selector String view) {
    if (!view.equals("events")) {
      return null;
    }
    return events(EventLog.Query.all(LIMIT));
  }

  @ReadOperation
  public Map<String, Object> eventsBy(@Selector String field, @Selector String value) {
    return switch (field) {
      case "events" -> gatehouse.events().findByRay(value).map(SecurityEvent::toMap).orElse(null);
      case "ip" -> {
        Cidr network;
        try {
          network = Cidr.parse(value.contains("/") ? value : value + (value.contains(":") ? "/128" : "/32"));
        } catch (IllegalArgumentException e) {
          yield Map.of("error", e.getMessage());
        }
        yield events(new EventLog.Query(network, null, null, null, null, LIMIT));
      }
      case "action" -> events(new EventLog.Query(null, null, value, null, null, LIMIT));
      case "source" -> events(new EventLog.Query(null, null, null, value, null, LIMIT));
      default -> null;
    };
  }

  @WriteOperation
  public Map<String, Object> reload() {
    return reload(gatehouse.reload(false));
  }

  @WriteOperation
  public Map<String, Object> reloadForced(@Selector String how) {
    if (!how.equals("force")) {
      return null;
    }
    return reload(gatehouse.reload(true));
  }

  private Map<String, Object> events(EventLog.Query q) {
    List<Map<String, Object>> events = gatehouse.events().query(q).stream().map(SecurityEvent::toMap).toList();
    return Map.of("events", events);
  }

  private static Map<String, Object> reload(ReloadResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied", r.applied());
    m.put("at", r.at().toString());
    m.put("problems", r.problems().stream().map(ConfigException.Problem::toString).toList());
    return m;
  }
}
