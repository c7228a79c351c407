package io.gatehouse.core.engine;

import java.util.Map;

/**
 * Renders key-values as one logfmt line ({@code key=value key="quoted value"}). Event values carry
 * visitor-controlled text (User-Agent, path, query), so every value is written such that it can
 * neither end early nor start a new key or a new line: a reader splitting the line finds exactly the
 * keys written here, whatever the values hold.
 */
final class Logfmt {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Logfmt() {}

  /** {@code fields} as one logfmt line, in their iteration order. */
  static String line(Map<String, ?> fields) {
    StringBuilder out = new StringBuilder(256);
    for (Map.Entry<String, ?> f : fields.entrySet()) {
      if (out.length() > 0) {
        out.append(' ');
      }
      appendPair(out, f.getKey(), f.getValue());
    }
    return out.toString();
  }

  /** Appends {@code key=value} to {@code out}, quoting and escaping the value as needed. */
  static void appendPair(StringBuilder out, String key, Object value) {
    // Keys come from this code, never from requests; refusing odd ones keeps the line's shape certain.
    if (!isKey(key)) {
      throw new IllegalArgumentException("not a logfmt key: " + key);
    }
    out.append(key).append('=');
    appendValue(out, value == null ? "" : String.valueOf(value));
  }

  /** Appends {@code value}, bare when that is unambiguous, else quoted with escapes. */
  static void appendValue(StringBuilder out, String value) {
    if (!needsQuoting(value)) {
      out.append(value);
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (isEscaped(c) || isLoneSurrogate(value, i)) {
            appendUnicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** The value quoted and escaped as {@link #appendValue} would write it. */
  static String value(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2);
    appendValue(out, value);
    return out.toString();
  }

  private static boolean needsQuoting(String value) {
    if (value.isEmpty()) {
      return true; // a bare "key=" reads as a missing value in some parsers
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '"' || c == '=' || c == '\\' || isEscaped(c) || isLoneSurrogate(value, i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Characters written as {@code \\uXXXX}: C0 and C1 controls, DEL, and the Unicode line breaks that
   * some viewers and shippers treat as the end of a line.
   */
  private static boolean isEscaped(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  /** Whether {@code s[i]} is half of a surrogate pair without its other half; encoders would mangle it. */
  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }

  private static boolean isKey(String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
