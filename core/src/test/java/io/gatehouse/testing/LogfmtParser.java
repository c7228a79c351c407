package io.gatehouse.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A strict logfmt reader for tests: reads a line the way a log pipeline would, keeping every pair in
 * order (duplicates included, so a test can prove a key occurs once) and failing on anything that is
 * not well-formed, so malformed output cannot pass by being read leniently.
 */
public final class LogfmtParser {

  private LogfmtParser() {}

  /** The pairs of {@code line}, in order, with quoted values unescaped. */
  public static List<Map.Entry<String, String>> parse(String line) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      int eq = i;
      while (eq < n && line.charAt(eq) != '=' && line.charAt(eq) != ' ' && line.charAt(eq) != '"') {
        eq++;
      }
      if (eq == i || eq >= n || line.charAt(eq) != '=') {
        throw new IllegalArgumentException("no key=value at " + i + ": " + line);
      }
      String key = line.substring(i, eq);
      i = eq + 1;
      StringBuilder value = new StringBuilder();
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated quote for " + key + ": " + line);
          }
          char c = line.charAt(i++);
          if (c == '"') {
            break;
          }
          if (c != '\\') {
            value.append(c);
            continue;
          }
          if (i >= n) {
            throw new IllegalArgumentException("dangling backslash for " + key + ": " + line);
          }
          char e = line.charAt(i++);
          switch (e) {
            case '"', '\\' -> value.append(e);
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'u' -> {
              value.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
              i += 4;
            }
            default -> throw new IllegalArgumentException("unknown escape \\" + e + ": " + line);
          }
        }
      } else {
        while (i < n && line.charAt(i) != ' ') {
          char c = line.charAt(i++);
          if (c == '"' || c == '=') {
            throw new IllegalArgumentException("unquoted " + c + " in " + key + ": " + line);
          }
          value.append(c);
        }
      }
      pairs.add(Map.entry(key, value.toString()));
      if (i < n) {
        if (line.charAt(i) != ' ') {
          throw new IllegalArgumentException("no space after " + key + ": " + line);
        }
        i++;
      }
    }
    return pairs;
  }

  /** The values of {@code key} in {@code pairs}, in order. */
  public static List<String> values(List<Map.Entry<String, String>> pairs, String key) {
    return pairs.stream().filter(p -> p.getKey().equals(key)).map(Map.Entry::getValue).toList();
  }
}
