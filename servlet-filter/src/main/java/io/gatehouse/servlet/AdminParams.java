package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.Values;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.net.Cidr;
import jakarta.json.bind.Jsonb;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the admin endpoints read from a request: query parameters and the body of a new access rule. A
 * blank parameter counts as absent, so that a form or a script can leave one empty; anything that cannot
 * be read is a {@link BadRequest} that names the parameter.
 */
final class AdminParams {

  private static final int MAX_BODY = 16 * 1024;
  private static final String RULE_SHAPE = "expected a JSON object {\"action\", \"target\", \"value\", \"notes\"}";
  /**
   * The binder parses recursively, so a body of a few thousand nested arrays would exhaust the stack; a
   * rule needs one level, and this leaves room for whatever a client adds alongside.
   */
  private static final int MAX_DEPTH = 32;
  /**
   * The longest duration a parameter may name, and the longest period statistics cover: far more than any
   * event log holds, and far less than where instants and milliseconds overflow.
   */
  private static final Duration MAX_DURATION = Duration.ofDays(36_500);
  private static final String MAX_DURATION_TEXT = "36500d";
  /** Below a second {@code bucket_seconds} would read 0, and past 1,000 buckets the last one takes the rest. */
  private static final Duration MIN_BUCKET = Duration.ofSeconds(1);
  private static final int MAX_BUCKETS = 1_000;
  /** What {@link Values#parseDuration} reads as a number and a unit, so that null from it means too many digits. */
  private static final Pattern NUMBER_AND_UNIT = Pattern.compile("[0-9]+\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private AdminParams() {}

  /** The statistics window: {@code since} (an hour back by default), {@code bucket}, {@code top}. */
  record Stats(Instant since, Instant until, Duration bucket, int top) {}

  /** The fields of a new access rule; {@code id} may be null, for the engine to choose. */
  record NewRule(String id, String action, String target, String value, String notes) {}

  /** {@code ip} (an address or network), {@code ray}, {@code action}, {@code source}, {@code since}, {@code limit}. */
  static EventLog.Query events(HttpServletRequest req, Clock clock) {
    Cidr network = network(param(req, "ip"));
    int limit = intParam(req, "limit", 100, 1, 10_000);
    Instant since = since(param(req, "since"), clock);
    return new EventLog.Query(network, param(req, "ray"), param(req, "action"), param(req, "source"), since, limit);
  }

  static Stats stats(HttpServletRequest req, Clock clock) {
    Instant now = clock.instant();
    Instant since = since(param(req, "since"), clock);
    if (since == null) {
      since = now.minus(Duration.ofHours(1));
    }
    Duration period = Duration.between(since, now);
    // Either way the event log would count the period in milliseconds, which a far-off since overflows.
    if (period.abs().compareTo(MAX_DURATION) > 0) {
      throw new BadRequest("since: '" + param(req, "since") + "' is out of range; statistics cover at most "
          + MAX_DURATION_TEXT);
    }
    String bucket = param(req, "bucket");
    Duration width = bucket == null ? defaultBucket(period) : bucket(bucket, period);
    return new Stats(since, now, width, intParam(req, "top", 10, 1, 100));
  }

  private static Duration bucket(String v, Duration period) {
    Duration width = duration("bucket", v);
    // ceil(period / width) > MAX_BUCKETS exactly when period > width * MAX_BUCKETS; neither side overflows.
    if (width.compareTo(MIN_BUCKET) < 0 || period.compareTo(width.multipliedBy(MAX_BUCKETS)) > 0) {
      throw new BadRequest("bucket: '" + v + "' is out of range; a bucket is at least 1s, and at most "
          + MAX_BUCKETS + " buckets fit in the period");
    }
    return width;
  }

  /** About sixty buckets over the window, so that a chart of it has some detail whatever its length. */
  private static Duration defaultBucket(Duration span) {
    long minutes = Math.max(1, span.toMinutes() / 60);
    return Duration.ofMinutes(minutes);
  }

  /**
   * The request to explain: {@code ip} (required), {@code path}, {@code method}, {@code host}, {@code ua}
   * and any number of {@code header=Name: Value}.
   */
  static RequestFacts explain(HttpServletRequest req) {
    String ip = param(req, "ip");
    if (ip == null) {
      throw new BadRequest("ip is required");
    }
    String path = orElse(param(req, "path"), "/");
    RequestFacts.Builder b = RequestFacts.builder().peer(ip).method(orElse(param(req, "method"), "GET"))
        .host(orElse(param(req, "host"), "")).uri(path);
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
    return b.build();
  }

  /** The body of {@code POST access-rules}: a JSON object whose fields are strings. */
  static NewRule newRule(HttpServletRequest req, Jsonb jsonb) throws IOException {
    byte[] body = req.getInputStream().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      throw new BadRequest("body too large");
    }
    if (nestsTooDeep(body)) {
      throw new BadRequest("body nests deeper than " + MAX_DEPTH + " levels");
    }
    if (!startsWithObject(body)) {
      // The binder would read [1] as a map with a null key, and a bare string or number not at all.
      throw new BadRequest(RULE_SHAPE);
    }
    Map<?, ?> in;
    try {
      in = jsonb.fromJson(new String(body, StandardCharsets.UTF_8), Map.class);
    } catch (RuntimeException e) {
      // Not only JsonbException: the parser and the binder have their own unchecked failures, and every
      // one of them here means a body that is not the object asked for, not a fault on this side.
      in = null;
    }
    if (in == null) {
      throw new BadRequest(RULE_SHAPE);
    }
    return new NewRule(string(in, "id"), string(in, "action"), string(in, "target"), string(in, "value"),
        string(in, "notes"));
  }

  /**
   * Whether arrays and objects in {@code body} nest deeper than {@link #MAX_DEPTH}, counted over the raw
   * bytes outside strings, without parsing: in UTF-8 no byte of a multi-byte character is ASCII, so a
   * bracket or quote byte is always that character. A closing bracket never takes the count below zero,
   * so stray ones cannot buy extra levels.
   */
  private static boolean nestsTooDeep(byte[] body) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '[' || b == '{') {
        if (++depth > MAX_DEPTH) {
          return true;
        }
      } else if ((b == ']' || b == '}') && depth > 0) {
        depth--;
      }
    }
    return false;
  }

  /** Whether the first thing in {@code body} after JSON whitespace opens an object. */
  private static boolean startsWithObject(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b == '{';
      }
    }
    return false;
  }

  private static String string(Map<?, ?> in, String key) {
    Object v = in.get(key);
    if (v != null && !(v instanceof String)) {
      throw new BadRequest(key + " must be a string");
    }
    return (String) v;
  }

  /** {@code force=true} on {@code POST /reload}: apply a change however much it removes. */
  static boolean force(HttpServletRequest req) {
    String v = param(req, "force");
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw new BadRequest("force: '" + v + "' is not true or false");
  }

  private static String param(HttpServletRequest req, String name) {
    String v = req.getParameter(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String orElse(String v, String absent) {
    return v == null ? absent : v;
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

  private static Cidr network(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Cidr.parse(v);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("ip: " + e.getMessage());
    }
  }

  /** An ISO-8601 instant, or a duration back from now ({@code 15m}, {@code 1h}, {@code PT30M}). */
  private static Instant since(String v, Clock clock) {
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      return clock.instant().minus(duration("since", v));
    }
  }

  /** A positive duration of at most {@link #MAX_DURATION}, which any instant can step back by. */
  private static Duration duration(String name, String v) {
    Duration d = Values.parseDuration(v);
    if ((d == null && NUMBER_AND_UNIT.matcher(v).matches()) || (d != null && d.compareTo(MAX_DURATION) > 0)) {
      throw new BadRequest(name + ": '" + v + "' is out of range; at most " + MAX_DURATION_TEXT);
    }
    if (d == null || d.isNegative() || d.isZero()) {
      throw new BadRequest("'" + v + "' is neither an ISO-8601 time nor a duration such as 15m, 1h or 7d");
    }
    return d;
  }
}
