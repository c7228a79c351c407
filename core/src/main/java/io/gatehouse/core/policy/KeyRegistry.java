package io.gatehouse.core.policy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.config.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The configuration keys that exist and what handles each. A key pattern is dotted segments, where a
 * segment written in capitals ({@code ID}, {@code NAME}, {@code CODE}) stands for a name the user
 * picks: letters, digits, {@code -} and {@code _}. A key that matches no pattern is a problem, with a
 * "did you mean" when a known key is close, so that a typo is never silently ignored.
 *
 * @param <D> what the handlers fill in
 */
final class KeyRegistry<D> {

  /** Handles one entry; {@code names} holds the values of the pattern's placeholder segments. */
  @FunctionalInterface
  public interface Handler<D> {
    void handle(ConfigSource.Entry entry, List<String> names, D draft, ConfigException.Collector problems);
  }

  private record Spec<D>(String pattern, String[] segments, Handler<D> handler) {}

  private final List<Spec<D>> specs = new ArrayList<>();

  /** Adds a key pattern such as {@code gatehouse.rule.ID.expression}. */
  public KeyRegistry<D> register(String pattern, Handler<D> handler) {
    Objects.requireNonNull(handler, "handler");
    for (Spec<D> s : specs) {
      if (s.pattern.equals(pattern)) {
        throw new IllegalArgumentException("key pattern registered twice: " + pattern);
      }
    }
    specs.add(new Spec<>(pattern, pattern.split("\\.", -1), handler));
    return this;
  }

  /** Every registered pattern, in registration order. */
  public List<String> patterns() {
    List<String> out = new ArrayList<>(specs.size());
    for (Spec<D> s : specs) {
      out.add(s.pattern);
    }
    return out;
  }

  /** Hands {@code entry} to the handler of its key, or reports it as unknown. */
  public void dispatch(ConfigSource.Entry entry, D draft, ConfigException.Collector problems) {
    String[] segments = entry.key().split("\\.", -1);
    for (Spec<D> s : specs) {
      List<String> names = match(s.segments, segments);
      if (names != null) {
        s.handler.handle(entry, names, draft, problems);
        return;
      }
    }
    String suggestion = suggest(segments);
    if (entry.key().equals(suggestion)) {
      // The shape is right; a name in it is not.
      String bad = badName(segments);
      problems.add(entry, "unknown key; '" + bad + "' is not a valid name (1 to 64 letters, digits, '-' and '_')");
      return;
    }
    problems.add(entry, suggestion == null ? "unknown key" : "unknown key; did you mean " + suggestion + "?");
  }

  private static List<String> match(String[] pattern, String[] key) {
    if (pattern.length != key.length) {
      return null;
    }
    List<String> names = null;
    for (int i = 0; i < pattern.length; i++) {
      if (isPlaceholder(pattern[i])) {
        if (!isName(key[i])) {
          return null;
        }
        if (names == null) {
          names = new ArrayList<>(2);
        }
        names.add(key[i]);
      } else if (!pattern[i].equals(key[i])) {
        return null;
      }
    }
    return names == null ? List.of() : names;
  }

  private String suggest(String[] key) {
    String written = String.join(".", key);
    List<String> candidates = new ArrayList<>(specs.size());
    for (Spec<D> s : specs) {
      String[] candidate = s.segments.clone();
      for (int i = 0; i < candidate.length; i++) {
        if (isPlaceholder(candidate[i]) && i < key.length) {
          candidate[i] = key[i];
        }
      }
      candidates.add(String.join(".", candidate));
    }
    return Values.closest(written, candidates, Math.max(2, Math.min(4, written.length() / 8)));
  }

  private String badName(String[] key) {
    for (Spec<D> s : specs) {
      if (s.segments.length != key.length) {
        continue;
      }
      for (int i = 0; i < key.length; i++) {
        if (isPlaceholder(s.segments[i]) && !isName(key[i])) {
          return key[i];
        }
      }
    }
    return String.join(".", key);
  }

  private static boolean isPlaceholder(String segment) {
    return !segment.isEmpty() && segment.chars().allMatch(c -> c >= 'A' && c <= 'Z');
  }

  /** Whether a user-chosen name is acceptable: 1 to 64 of letters, digits, {@code -} and {@code _}. */
  public static boolean isName(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
