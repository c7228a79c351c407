package io.gatehouse.core.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The values of one query argument, decoded as a form decodes them ({@code +} is a space, {@code %XX} a
 * byte, UTF-8), so {@code user=al%69ce} and {@code user=alice} are the same key. Never throws: a broken
 * escape stays as written.
 */
final class QueryArgs {

  /** At most this many characters of a query are read: longer ones are cut, as the servlet may cut. */
  static final int MAX_QUERY = 16_384;

  private QueryArgs() {}

  /** Every value of {@code name} in {@code query}, joined with {@code ", "}; {@code null} when absent. */
  static String values(String query, String name) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    String q = query.length() > MAX_QUERY ? query.substring(0, MAX_QUERY) : query;
    StringBuilder out = null;
    int pos = 0;
    while (pos <= q.length()) {
      int end = q.indexOf('&', pos);
      if (end < 0) {
        end = q.length();
      }
      int eq = q.indexOf('=', pos);
      int keyEnd = eq >= 0 && eq < end ? eq : end;
      if (keyEnd > pos && decode(q, pos, keyEnd).equals(name)) {
        String value = keyEnd < end ? decode(q, keyEnd + 1, end) : "";
        if (out == null) {
          out = new StringBuilder(value);
        } else {
          out.append(", ").append(value);
        }
      }
      pos = end + 1;
    }
    return out == null ? null : out.toString();
  }

  /** A hash of {@link #values}, a missing argument hashing apart from an empty one. */
  static long hash(String query, String name) {
    return RateLimitStage.hash(23, values(query, name));
  }

  static String decode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+') {
        plain = false;
        break;
      }
    }
    if (plain) {
      return s.substring(from, to);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%' && i + 2 < to && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
        i += Character.charCount(cp) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    } else if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
