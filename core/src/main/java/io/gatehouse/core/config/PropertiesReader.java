package io.gatehouse.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code .properties} format as {@link java.util.Properties#load(java.io.Reader)} defines it
 * (comments, {@code =}, {@code :} or blank separators, backslash continuations and escapes), but keeps
 * what that class throws away: the order of the entries and the line each starts on. Rules are
 * evaluated in file order and every error names its line, so both matter.
 *
 * <p>A key set twice is a problem: with {@code Properties} the later silently wins, which is how a
 * rule quietly disappears.
 */
final class PropertiesReader {

  private PropertiesReader() {}

  /** The entries of {@code content}, in file order; problems found are added to {@code problems}. */
  public static List<ConfigSource.Entry> read(String file, String content, ConfigException.Collector problems) {
    List<ConfigSource.Entry> entries = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    // A byte-order mark is invisible in an editor; read as part of the first key it would make that key
    // unknown with a "did you mean" naming the very same key.
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    String[] lines = text.split("\r\n|\r|\n", -1);
    int i = 0;
    while (i < lines.length) {
      int startLine = i + 1;
      int indent = lines[i].length() - stripLeading(lines[i]).length();
      String line = stripLeading(lines[i]);
      i++;
      if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
        continue;
      }
      StringBuilder logical = new StringBuilder(line);
      while (endsWithOddBackslashes(logical) ) {
        logical.setLength(logical.length() - 1);
        if (i >= lines.length) {
          break;
        }
        String next = stripLeading(lines[i]);
        if (logical.length() == 0 && (next.isEmpty() || next.charAt(0) == '#' || next.charAt(0) == '!')) {
          // As in Properties.load: a line that is still empty when continued starts afresh on the next,
          // which may be blank or a comment.
          break;
        }
        logical.append(next);
        i++;
      }
      if (logical.length() == 0) {
        continue;
      }
      parseLine(file, startLine, indent, logical.toString(), entries, firstLine, problems);
    }
    return entries;
  }

  private static void parseLine(String file, int line, int indent, String text, List<ConfigSource.Entry> entries,
      Map<String, Integer> firstLine, ConfigException.Collector problems) {
    int keyEnd = 0;
    boolean escaped = false;
    while (keyEnd < text.length()) {
      char c = text.charAt(keyEnd);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '=' || c == ':' || isWhitespace(c)) {
        break;
      }
      keyEnd++;
    }
    int valueStart = keyEnd;
    while (valueStart < text.length() && isWhitespace(text.charAt(valueStart))) {
      valueStart++;
    }
    if (valueStart < text.length() && (text.charAt(valueStart) == '=' || text.charAt(valueStart) == ':')) {
      valueStart++;
      while (valueStart < text.length() && isWhitespace(text.charAt(valueStart))) {
        valueStart++;
      }
    }
    String rawKey = text.substring(0, keyEnd);
    String key = unescape(file, line, rawKey, rawKey, problems);
    String value = unescape(file, line, key, text.substring(valueStart), problems);
    if (key.isEmpty()) {
      problems.add(file, line, "", "a line with a value but no key");
      return;
    }
    Integer earlier = firstLine.putIfAbsent(key, line);
    if (earlier != null) {
      problems.add(file, line, key, "set twice; it is already set at line " + earlier);
      return;
    }
    entries.add(new ConfigSource.Entry(file, line, key, value, indent + valueStart + 1));
  }

  private static String unescape(String file, int line, String key, String s, ConfigException.Collector problems) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 'f' -> out.append('\f');
        case 'u' -> {
          int code = i + 5 <= s.length() ? parseHex4(s, i + 1) : -1;
          if (code < 0) {
            problems.add(file, line, key, "malformed \\uXXXX escape");
            return s;
          }
          out.append((char) code);
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return out.toString();
  }

  private static int parseHex4(String s, int from) {
    int value = 0;
    for (int i = from; i < from + 4; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0 || s.charAt(i) > 'f') {
        return -1;
      }
      value = value * 16 + d;
    }
    return value;
  }

  private static boolean endsWithOddBackslashes(CharSequence s) {
    int n = 0;
    for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
      n++;
    }
    return n % 2 == 1;
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && isWhitespace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\f';
  }
}
