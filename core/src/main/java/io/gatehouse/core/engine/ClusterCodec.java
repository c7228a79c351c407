package io.gatehouse.core.engine;

import io.gatehouse.core.Source;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.net.IpAddress;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How events and broadcasts travel between instances: one line of JSON each, written here and read back
 * here strictly. What another process wrote is never trusted: a field that is missing, of the wrong type,
 * out of range or longer than this instance would have written makes the whole entry unreadable
 * ({@link IllegalArgumentException}), and the caller skips it.
 */
final class ClusterCodec {

  /** The longest free text an event field may carry: {@link SecurityEvent}'s cap, with room for the mark. */
  private static final int MAX_TEXT = 2_048;
  /** The longest line read at all; an event is a few kilobytes at most. */
  static final int MAX_LINE = 64 * 1024;
  /** The most items one broadcast carries. */
  static final int MAX_ITEMS = 1_000;

  private static final Set<String> EVENT_FIELDS = Set.of("ray_id", "time", "action", "source", "rule_id",
      "description", "error_code", "client_ip", "peer_ip", "client_ip_derivation", "asn", "as_organization",
      "country", "method", "host", "path", "query", "user_agent", "threat_score", "visitor_score", "address_score",
      "shared_ip", "shared_ip_how", "enforced");

  private ClusterCodec() {}

  /** One broadcast item: evidence against a visitor, a revoked clearance, or a shared address. */
  sealed interface Item {}

  /**
   * Evidence against a visitor, as {@link io.gatehouse.core.reputation.BehaviourTracker#add} takes it.
   *
   * @param cleared whether the visitor is known by a clearance (then the receiver must note it first)
   */
  record EvidenceItem(IpAddress ip, long visitor, double points, boolean address, boolean cleared) implements Item {}

  /** A clearance revoked by its visitor's own evidence, for {@code millis}. */
  record RevokeItem(long visitor, long millis) implements Item {}

  /** An address detected as shared. */
  record SharedItem(IpAddress ip) implements Item {}

  /** A broadcast: who sent it, and what. */
  record Message(String from, List<Item> items) {}

  static String event(SecurityEvent e) {
    JsonObjectBuilder o = Json.createObjectBuilder();
    for (Map.Entry<String, Object> kv : e.toMap().entrySet()) {
      Object v = kv.getValue();
      if (v == null) {
        o.addNull(kv.getKey());
      } else if (v instanceof Boolean b) {
        o.add(kv.getKey(), b);
      } else if (v instanceof Integer i) {
        o.add(kv.getKey(), i);
      } else if (v instanceof Long l) {
        o.add(kv.getKey(), l);
      } else {
        o.add(kv.getKey(), v.toString());
      }
    }
    return o.build().toString();
  }

  static SecurityEvent event(String line) {
    JsonObject o = object(line);
    for (String k : o.keySet()) {
      if (!EVENT_FIELDS.contains(k)) {
        throw new IllegalArgumentException("unknown field \"" + k + "\"");
      }
    }
    String ray = text(o, "ray_id", 64);
    if (!ray.matches("[0-9a-f]{16}(-[A-Za-z0-9][A-Za-z0-9-]{0,31})?")) {
      throw new IllegalArgumentException("\"ray_id\" is not a Ray ID");
    }
    Instant time;
    try {
      time = Instant.parse(text(o, "time", 64));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("\"time\" is not an instant");
    }
    SecurityEvent.Kind kind = SecurityEvent.Kind.fromId(text(o, "action", 32));
    Source source = Source.fromId(text(o, "source", 64));
    if (kind == null || source == null) {
      throw new IllegalArgumentException("\"action\" or \"source\" is unknown");
    }
    String client = optionalText(o, "client_ip", 64);
    String peer = optionalText(o, "peer_ip", 64);
    if (!isAddress(client) || !isAddress(peer)) {
      throw new IllegalArgumentException("\"client_ip\" or \"peer_ip\" is not an address");
    }
    return new SecurityEvent(ray, time, kind, source, text(o, "rule_id", 256), text(o, "description", MAX_TEXT),
        (int) number(o, "error_code", 0, 9_999), client, peer, text(o, "client_ip_derivation", 32),
        number(o, "asn", 0, 4_294_967_295L), text(o, "as_organization", 512), text(o, "country", 8),
        text(o, "method", 64), optionalText(o, "host", MAX_TEXT), text(o, "path", MAX_TEXT),
        optionalText(o, "query", MAX_TEXT), optionalText(o, "user_agent", MAX_TEXT),
        (int) number(o, "threat_score", 0, 100), (int) number(o, "visitor_score", 0, 100),
        (int) number(o, "address_score", 0, 100), bool(o, "shared_ip"), text(o, "shared_ip_how", 32),
        bool(o, "enforced"));
  }

  static String message(String from, List<Item> items) {
    JsonArrayBuilder a = Json.createArrayBuilder();
    for (Item item : items) {
      JsonObjectBuilder o = Json.createObjectBuilder();
      if (item instanceof EvidenceItem e) {
        o.add("k", "evidence").add("visitor", e.visitor()).add("points", e.points()).add("address", e.address())
            .add("cleared", e.cleared());
        if (e.ip() != null) {
          o.add("ip", e.ip().toString());
        }
      } else if (item instanceof RevokeItem r) {
        o.add("k", "revoke").add("visitor", r.visitor()).add("ms", r.millis());
      } else if (item instanceof SharedItem sh) {
        o.add("k", "shared").add("ip", sh.ip().toString());
      }
      a.add(o);
    }
    return Json.createObjectBuilder().add("from", from).add("items", a).build().toString();
  }

  /**
   * A broadcast; an item that cannot be read is left out and counted in {@code skipped[0]}, so that one bad
   * item does not cost the others.
   */
  static Message message(String line, int[] skipped) {
    JsonObject o = object(line);
    String from = text(o, "from", 64);
    if (!(o.get("items") instanceof JsonArray items) || items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException("\"items\" is missing, not an array or too long");
    }
    List<Item> out = new java.util.ArrayList<>(items.size());
    for (JsonValue v : items) {
      try {
        if (!(v instanceof JsonObject i)) {
          throw new IllegalArgumentException("an item is not an object");
        }
        out.add(item(i));
      } catch (IllegalArgumentException e) {
        skipped[0]++;
      }
    }
    return new Message(from, out);
  }

  private static Item item(JsonObject i) {
    String kind = text(i, "k", 16);
    long visitor = kind.equals("shared") ? 0 : number(i, "visitor", Long.MIN_VALUE, Long.MAX_VALUE);
    return switch (kind) {
      case "evidence" -> {
        if (!(i.get("points") instanceof JsonNumber n) || !(n.doubleValue() > 0) || n.doubleValue() > 100) {
          throw new IllegalArgumentException("\"points\" is not a number from 0 to 100");
        }
        String ip = optionalText(i, "ip", 64);
        IpAddress address = ip == null ? null : IpAddress.tryParse(ip);
        if (ip != null && address == null) {
          throw new IllegalArgumentException("\"ip\" is not an address");
        }
        yield new EvidenceItem(address, visitor, n.doubleValue(), bool(i, "address"), bool(i, "cleared"));
      }
      case "revoke" -> new RevokeItem(visitor, number(i, "ms", 1, 31L * 24 * 3_600_000));
      case "shared" -> {
        IpAddress address = IpAddress.tryParse(text(i, "ip", 64));
        if (address == null) {
          throw new IllegalArgumentException("\"ip\" is not an address");
        }
        yield new SharedItem(address);
      }
      default -> throw new IllegalArgumentException("unknown item kind");
    };
  }

  /** An address as an event writes it: a literal, or {@code unknown}. */
  private static boolean isAddress(String text) {
    return text == null || text.equals("unknown") || IpAddress.tryParse(text) != null;
  }

  private static JsonObject object(String line) {
    if (line == null || line.length() > MAX_LINE) {
      throw new IllegalArgumentException("missing or longer than " + MAX_LINE + " characters");
    }
    try (JsonReader reader = Json.createReader(new StringReader(line))) {
      if (reader.readValue() instanceof JsonObject o) {
        return o;
      }
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("not JSON");
    }
    throw new IllegalArgumentException("not a JSON object");
  }

  private static String text(JsonObject o, String field, int max) {
    String s = optionalText(o, field, max);
    if (s == null) {
      throw new IllegalArgumentException("\"" + field + "\" is missing");
    }
    return s;
  }

  private static String optionalText(JsonObject o, String field, int max) {
    JsonValue v = o.get(field);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    if (!(v instanceof JsonString s) || s.getString().length() > max) {
      throw new IllegalArgumentException("\"" + field + "\" is not a string of at most " + max + " characters");
    }
    return s.getString();
  }

  private static long number(JsonObject o, String field, long min, long max) {
    if (!(o.get(field) instanceof JsonNumber n) || !n.isIntegral()) {
      throw new IllegalArgumentException("\"" + field + "\" is not a whole number");
    }
    long v;
    try {
      v = n.bigIntegerValueExact().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + field + "\" is out of range");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("\"" + field + "\" is out of range");
    }
    return v;
  }

  private static boolean bool(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
      throw new IllegalArgumentException("\"" + field + "\" is not true or false");
    }
    return v == JsonValue.TRUE;
  }
}
