package io.gatehouse.core.bot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the lists this package's heuristics are written in, so that a list reads as the data it is
 * rather than as a column of method calls.
 *
 * <p>One entry a line, {@code name: item, item, ...}. A line that starts with a blank continues the entry
 * above with more items; a line starting with {@code #} is a comment; blank lines are ignored. An entry
 * without a colon has no items. Items are split at commas only, so they may hold colons
 * ({@code lwp::simple}) and spaces ({@code burp suite}).
 *
 * <p>Lists are parsed once, when the class holding them loads: a name written twice fails then rather
 * than silently dropping an entry.
 */
final class TextTable {

  private TextTable() {}

  /** The entries in the order written: each name with its items, unmodifiable. */
  static Map<String, List<String>> parse(String text) {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : text.split("\n")) {
      String content = line.strip();
      if (content.isEmpty() || content.startsWith("#")) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0))) {
        if (current == null) {
          throw new IllegalArgumentException("a continuation line comes first: '" + content + "'");
        }
        addItems(content, current);
        continue;
      }
      int colon = content.indexOf(':');
      String name = (colon < 0 ? content : content.substring(0, colon)).strip();
      current = new ArrayList<>();
      if (entries.put(name, current) != null) {
        throw new IllegalArgumentException("listed twice: " + name);
      }
      if (colon >= 0) {
        addItems(content.substring(colon + 1), current);
      }
    }
    Map<String, List<String>> frozen = new LinkedHashMap<>();
    entries.forEach((name, items) -> frozen.put(name, List.copyOf(items)));
    return Collections.unmodifiableMap(frozen);
  }

  private static void addItems(String text, List<String> into) {
    for (String item : text.split(",")) {
      String stripped = item.strip();
      if (!stripped.isEmpty()) {
        into.add(stripped);
      }
    }
  }
}
