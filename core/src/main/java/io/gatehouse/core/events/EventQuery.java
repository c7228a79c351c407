package io.gatehouse.core.events;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IpAddress;
import java.time.Instant;

/**
 * A filter over the event log; {@code null} fields match everything.
 *
 * @param network client addresses to match (a single address is a host network)
 * @param rayId an exact Ray ID
 * @param action an exact action ({@code block}, ...)
 * @param source an exact source ({@code access_rules}, ...)
 * @param since only events at or after this time
 * @param limit at most this many events, newest first
 */
public record EventQuery(Cidr network, String rayId, String action, String source, Instant since, int limit) {

  public EventQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
  }

  /** Every event, newest first, up to {@code limit}. */
  public static EventQuery all(int limit) {
    return new EventQuery(null, null, null, null, null, limit);
  }

  boolean matches(SecurityEvent e) {
    if (rayId != null && !rayId.equals(e.rayId())) {
      return false;
    }
    if (action != null && !action.equals(e.action().id())) {
      return false;
    }
    if (source != null && !source.equals(e.source().id())) {
      return false;
    }
    if (since != null && e.time().isBefore(since)) {
      return false;
    }
    if (network != null) {
      IpAddress ip = IpAddress.tryParse(e.clientIp());
      return ip != null && network.contains(ip);
    }
    return true;
  }
}
