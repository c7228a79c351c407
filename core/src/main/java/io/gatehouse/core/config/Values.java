package io.gatehouse.core.config;

import io.gatehouse.core.net.Cidr;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Parsers for configuration values, and "did you mean" for names that must be written exactly
 * (configuration keys, and the fields and functions of the rules language). Each parser reports a
 * problem that echoes the bad value and says what was expected, and returns {@code null} so that parsing
 * can go on and find the next problem.
 */
public final class Values {

  private Values() {}

  /** {@code on}, {@code off}, {@code true} or {@code false}; nothing else, not even {@code yes}. */
  public static Boolean bool(ConfigSource.Entry e, ConfigException.Collector problems) {
    return switch (e.value().trim()) {
      case "on", "true" -> Boolean.TRUE;
      case "off", "false" -> Boolean.FALSE;
      default -> {
        problems.add(e, "'" + e.value() + "' is not on, off, true or false");
        yield null;
      }
    };
  }

  /** One of {@code allowed}, exactly as written there; the value is matched case-insensitively. */
  public static String oneOf(ConfigSource.Entry e, ConfigException.Collector problems, String... allowed) {
    String v = e.value().trim();
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    problems.add(e, "'" + e.value() + "' is not one of " + String.join(", ", allowed));
    return null;
  }

  /**
   * One of {@code choices}, named by {@code id} and matched case-insensitively; the problem lists every
   * choice's name, so the list in a message is never out of step with what is accepted.
   */
  public static <T> T choice(ConfigSource.Entry e, ConfigException.Collector problems, List<T> choices,
      Function<T, String> id) {
    String v = e.value().trim();
    for (T c : choices) {
      if (id.apply(c).equalsIgnoreCase(v)) {
        return c;
      }
    }
    problems.add(e, "'" + e.value() + "' is not one of " + String.join(", ", choices.stream().map(id).toList()));
    return null;
  }

  /** A whole number in {@code [min, max]}. */
  public static Integer integer(ConfigSource.Entry e, ConfigException.Collector problems, int min, int max) {
    String v = e.value().trim();
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max && v.chars().allMatch(c -> c == '-' || c >= '0' && c <= '9')) {
        return (int) n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(e, "'" + e.value() + "' is not a whole number from " + min + " to " + max);
    return null;
  }

  /**
   * A duration in {@code [min, max]}: a number and a unit ({@code 500ms}, {@code 45s}, {@code 30m},
   * {@code 1h}, {@code 7d}) or ISO-8601 ({@code PT30M}). Every duration has a range, so that no value
   * can overflow what is computed from it.
   */
  public static Duration duration(ConfigSource.Entry e, ConfigException.Collector problems, Duration min,
      Duration max) {
    Duration d = parseDuration(e.value().trim());
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(e, "'" + e.value() + "' is not a duration such as 45s, 30m, 1h, 7d or PT30M; from "
          + text(min) + " to " + text(max));
      return null;
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problems.add(e, "'" + e.value() + "' is not a duration from " + text(min) + " to " + text(max));
      return null;
    }
    return d;
  }

  /** A duration as configuration would write it: {@code 30m}, {@code 7d}, {@code 500ms}. */
  public static String text(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    } else if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    } else if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    } else if (ms % 1_000L == 0) {
      return ms / 1_000L + "s";
    }
    return ms + "ms";
  }

  /** A duration as configuration writes it ({@code 45s}, {@code 1h}, {@code PT30M}), or {@code null}. */
  public static Duration parseDuration(String v) {
    if (v.isEmpty()) {
      return null;
    }
    if (v.charAt(0) == 'P' || v.charAt(0) == 'p') {
      try {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException ex) {
        return null;
      }
    }
    int digits = 0;
    while (digits < v.length() && v.charAt(digits) >= '0' && v.charAt(digits) <= '9') {
      digits++;
    }
    if (digits == 0 || digits > 12) {
      return null;
    }
    long n = Long.parseLong(v.substring(0, digits));
    String unit = v.substring(digits).trim().toLowerCase(Locale.ROOT);
    try {
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> null;
      };
    } catch (ArithmeticException ex) {
      return null;
    }
  }

  /** The comma-separated items of a value, trimmed, without empty items. */
  public static List<String> list(String value) {
    List<String> items = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String t = part.trim();
      if (!t.isEmpty()) {
        items.add(t);
      }
    }
    return items;
  }

  /** A comma-separated list of networks or addresses; every bad item is reported. */
  public static List<Cidr> cidrList(ConfigSource.Entry e, ConfigException.Collector problems) {
    List<Cidr> out = new ArrayList<>();
    boolean ok = true;
    for (String item : list(e.value())) {
      try {
        out.add(Cidr.parse(item));
      } catch (IllegalArgumentException ex) {
        problems.add(e, ex.getMessage());
        ok = false;
      }
    }
    return ok ? out : null;
  }

  /**
   * The candidate closest to {@code written}, or {@code null} when none is within {@code maxDistance}
   * edits. Of equally close candidates, the first wins, so callers list the likelier names first.
   */
  public static String closest(String written, Iterable<String> candidates, int maxDistance) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      // The distance is at least the difference in length; skipping on it keeps a long input cheap.
      if (Math.abs(c.length() - written.length()) > maxDistance) {
        continue;
      }
      int d = distance(written, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= maxDistance ? best : null;
  }

  /** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
