package io.gatehouse.core.rules.expr;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The string functions of the language, total over any input: none throws, none loops more than a
 * bounded number of times over its input.
 *
 * <p>Cloudflare works on bytes; here values are Java strings. Where the two differ the functions follow
 * the bytes: {@code lower()} and {@code upper()} change ASCII letters only, {@code len()} counts UTF-8
 * bytes, and ordering compares code points (which is UTF-8 byte order).
 */
final class Text {

  /** How many times {@code url_decode(x, "r")} decodes at most, as wirefilter does. */
  static final int MAX_DECODE_ROUNDS = 10;

  private Text() {}

  /** ASCII letters to lower case; everything else unchanged. */
  static String lower(String s) {
    int i = 0;
    while (i < s.length() && !(s.charAt(i) >= 'A' && s.charAt(i) <= 'Z')) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    char[] out = s.toCharArray();
    for (; i < out.length; i++) {
      out[i] = lower(out[i]);
    }
    return new String(out);
  }

  /** ASCII letters to upper case; everything else unchanged. */
  static String upper(String s) {
    int i = 0;
    while (i < s.length() && !(s.charAt(i) >= 'a' && s.charAt(i) <= 'z')) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    char[] out = s.toCharArray();
    for (; i < out.length; i++) {
      char c = out[i];
      out[i] = c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }
    return new String(out);
  }

  static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** The length of {@code s} in UTF-8 bytes (a lone surrogate counts as the 3 bytes of U+FFFD). */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Compares by code point, which orders as UTF-8 bytes do. */
  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // Surrogates (supplementary code points) order above the rest of the BMP.
        boolean sx = Character.isSurrogate(x);
        boolean sy = Character.isSurrogate(y);
        if (sx != sy) {
          return sx ? 1 : -1;
        }
        return x < y ? -1 : 1;
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /** The first index at or after {@code from}, ending by {@code limit}, where {@code s} holds the part. */
  static int indexOf(String s, String part, int from, int limit) {
    int i = s.indexOf(part, from);
    return i >= 0 && i <= limit - part.length() ? i : -1;
  }

  /**
   * Percent-decoding as Cloudflare's {@code url_decode()}: {@code %XX} becomes the byte, {@code +} a
   * space, and an invalid or truncated sequence stays as written. With {@code unicode}, {@code %uXXXX}
   * becomes that character. With {@code recursive}, decodes again until nothing changes, at most
   * {@value #MAX_DECODE_ROUNDS} times.
   *
   * <p>Decoded bytes that form valid UTF-8 become the characters they encode; any other byte becomes the
   * character with the same value (U+0080 to U+00FF), so an overlong {@code %C0%AF} is two odd
   * characters, never a {@code /}.
   */
  static String urlDecode(String s, boolean recursive, boolean unicode) {
    String current = decodeOnce(s, unicode);
    if (!recursive) {
      return current;
    }
    for (int round = 1; round < MAX_DECODE_ROUNDS; round++) {
      String next = decodeOnce(current, unicode);
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current;
  }

  private static String decodeOnce(String s, boolean unicode) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    byte[] pending = new byte[16];
    int pendingCount = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '%') {
        if (unicode && i + 5 < n && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')) {
          int cp = hex4(s, i + 2);
          if (cp >= 0 && !Character.isSurrogate((char) cp)) {
            flush(out, pending, pendingCount);
            pendingCount = 0;
            out.append((char) cp);
            i += 6;
            continue;
          }
        }
        if (i + 2 < n) {
          int hi = hex(s.charAt(i + 1));
          int lo = hex(s.charAt(i + 2));
          if (hi >= 0 && lo >= 0) {
            if (pendingCount == pending.length) {
              pending = Arrays.copyOf(pending, pending.length * 2);
            }
            pending[pendingCount++] = (byte) (hi << 4 | lo);
            i += 3;
            continue;
          }
        }
      }
      flush(out, pending, pendingCount);
      pendingCount = 0;
      out.append(c == '+' ? ' ' : c);
      i++;
    }
    flush(out, pending, pendingCount);
    return out.toString();
  }

  private static int hex4(String s, int at) {
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = hex(s.charAt(at + k));
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  private static int hex(char c) {
    return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
  }

  /**
   * Bytes as text, as {@link #urlDecode} turns decoded bytes into characters: valid UTF-8 as what it
   * encodes, any other byte as the character with its value.
   */
  static String fromBytes(byte[] b, int from, int to) {
    boolean ascii = true;
    for (int i = from; i < to && ascii; i++) {
      ascii = b[i] >= 0;
    }
    if (ascii) {
      return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    StringBuilder out = new StringBuilder(to - from);
    flush(out, b, from, to);
    return out.toString();
  }

  /**
   * The UTF-8 bytes of {@code s}, on which the byte functions ({@code substring}, {@code remove_bytes})
   * work. A character that stood for an invalid byte (U+0080 to U+00FF) becomes its two-byte UTF-8.
   */
  static byte[] toBytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Appends decoded bytes: valid UTF-8 sequences as their characters, any other byte as itself. */
  private static void flush(StringBuilder out, byte[] b, int n) {
    flush(out, b, 0, n);
  }

  private static void flush(StringBuilder out, byte[] b, int from, int n) {
    int i = from;
    while (i < n) {
      int b0 = b[i] & 0xff;
      if (b0 < 0x80) {
        out.append((char) b0);
        i++;
        continue;
      }
      int len;
      int cp;
      int min;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        len = 2;
        cp = b0 & 0x1f;
        min = 0x80;
      } else if (b0 >= 0xe0 && b0 <= 0xef) {
        len = 3;
        cp = b0 & 0x0f;
        min = 0x800;
      } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        len = 4;
        cp = b0 & 0x07;
        min = 0x10000;
      } else {
        out.append((char) b0);
        i++;
        continue;
      }
      boolean valid = i + len <= n;
      for (int k = 1; valid && k < len; k++) {
        int bk = b[i + k] & 0xff;
        valid = (bk & 0xc0) == 0x80;
        cp = cp << 6 | (bk & 0x3f);
      }
      valid = valid && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
      if (valid) {
        out.appendCodePoint(cp);
        i += len;
      } else {
        out.append((char) b0);
        i++;
      }
    }
  }
}
