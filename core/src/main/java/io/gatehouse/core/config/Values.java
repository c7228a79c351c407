package io.gatehouse.core.config;

import io.gatehouse.core.net.Cidr;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Parsers for configuration values. Each reports a problem that echoes the bad value and says what was
 * expected, and returns {@code null} so that parsing can go on and find the next problem.
 */
public final class Values {

  private Values() {}

  /** {@code on}, {@code off}, {@code true} or {@code false}; nothing else, not even {@code yes}. */
  public static Boolean bool(ConfigEntry e, ConfigProblems problems) {
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
  public static String oneOf(ConfigEntry e, ConfigProblems problems, String... allowed) {
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
  public static <T> T choice(ConfigEntry e, ConfigProblems problems, List<T> choices, Function<T, String> id) {
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
  public static Integer integer(ConfigEntry e, ConfigProblems problems, int min, int max) {
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
   * The longest duration a setting may have. Every duration the engine holds fits in nanoseconds and can
   * be added to any instant of this era, so that no refresh, half-life, lifetime or timeout overflows
   * where it is used.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /**
   * A positive duration of at most {@link #MAX_DURATION}: a number and a unit ({@code 500ms}, {@code 45s},
   * {@code 30m}, {@code 1h}, {@code 7d}) or ISO-8601 ({@code PT30M}).
   */
  public static Duration duration(ConfigEntry e, ConfigProblems problems) {
    Duration d = parseDuration(e.value().trim());
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(e, "'" + e.value() + "' is not a positive duration such as 45s, 30m, 1h, 7d or PT30M");
      return null;
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      problems.add(e, "'" + e.value() + "' is too long; a duration is at most 36500d");
      return null;
    }
    return d;
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
  public static List<Cidr> cidrList(ConfigEntry e, ConfigProblems problems) {
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
}
