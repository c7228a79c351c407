package io.gatehouse.core.net;

import java.util.HexFormat;

/**
 * An IPv4 or IPv6 address, parsed from its literal without ever consulting DNS.
 *
 * <p>Parsing is strict: IPv4 is exactly four decimal octets with no leading zeros (so {@code 010.0.0.1}
 * can never be read as octal by one component and decimal by another), only ASCII digits are accepted,
 * and IPv6 follows RFC 4291 text forms. An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the
 * IPv4 address it carries: one visitor, one identity, whichever socket family they arrived on.
 *
 * <p>Instances are immutable and thread-safe. IPv4 addresses order before IPv6 addresses.
 */
public final class IpAddress implements Comparable<IpAddress> {

  private static final long V4_MAPPED_HI = 0L;
  private static final long V4_MAPPED_LO_PREFIX = 0x0000_ffff_0000_0000L;

  // IPv4: hi = 0, lo = the 32-bit value. IPv6: the 128 bits, most significant first.
  private final long hi;
  private final long lo;
  private final boolean v4;

  private IpAddress(long hi, long lo, boolean v4) {
    this.hi = hi;
    this.lo = lo;
    this.v4 = v4;
  }

  /** The IPv4 address with these 32 bits. */
  public static IpAddress ofV4(int bits) {
    return new IpAddress(0L, bits & 0xffff_ffffL, true);
  }

  /** The IPv6 address with these 128 bits; an IPv4-mapped address becomes IPv4. */
  public static IpAddress ofV6(long hi, long lo) {
    if (hi == V4_MAPPED_HI && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED_LO_PREFIX) {
      return new IpAddress(0L, lo & 0xffff_ffffL, true);
    }
    return new IpAddress(hi, lo, false);
  }

  /**
   * The IPv6 address with these bits, even inside the IPv4-mapped block: only for interval bounds, where
   * {@code ::/80}'s last address must stay IPv6.
   */
  static IpAddress rawV6(long hi, long lo) {
    return new IpAddress(hi, lo, false);
  }

  /** The address with these 4 or 16 bytes, network order. */
  public static IpAddress ofBytes(byte[] bytes) {
    if (bytes.length == 4) {
      return ofV4(((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff));
    }
    if (bytes.length == 16) {
      long h = 0;
      long l = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (bytes[i] & 0xff);
        l = (l << 8) | (bytes[i + 8] & 0xff);
      }
      return ofV6(h, l);
    }
    throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
  }

  /**
   * Parses an IPv4 or IPv6 literal.
   *
   * @throws IllegalArgumentException naming the input when it is not an address literal
   */
  public static IpAddress parse(String text) {
    IpAddress address = tryParse(text);
    if (address == null) {
      throw new IllegalArgumentException(explainRejection(text));
    }
    return address;
  }

  /** Parses an IPv4 or IPv6 literal, or returns {@code null}. Never throws. */
  public static IpAddress tryParse(CharSequence text) {
    return text == null ? null : tryParse(text, 0, text.length());
  }

  /**
   * Parses the literal in {@code text[from, to)}, or returns {@code null}. Allocates only the result, so
   * callers can parse a slice of a header without copying it.
   */
  public static IpAddress tryParse(CharSequence text, int from, int to) {
    if (text == null || from < 0 || to > text.length() || from >= to || to - from > 45) {
      return null;
    }
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == ':') {
        return parseV6(text, from, to);
      }
    }
    long v4 = parseV4(text, from, to);
    return v4 < 0 ? null : new IpAddress(0L, v4, true);
  }

  /**
   * Parses an address as proxies and servers write it: optionally in brackets, optionally with a port
   * ({@code 192.0.2.1:8080}, {@code [2001:db8::1]:443}) and, for IPv6, optionally with a zone id
   * ({@code fe80::1%eth0}), which is dropped. Surrounding spaces and tabs are ignored. Returns
   * {@code null} for anything else. Never throws.
   */
  public static IpAddress tryParseLoose(CharSequence text) {
    return text == null ? null : tryParseLoose(text, 0, text.length());
  }

  /** {@link #tryParseLoose(CharSequence)} over {@code text[from, to)}. */
  public static IpAddress tryParseLoose(CharSequence text, int from, int to) {
    if (text == null || from < 0 || to > text.length()) {
      return null;
    }
    while (from < to && isBlank(text.charAt(from))) {
      from++;
    }
    while (to > from && isBlank(text.charAt(to - 1))) {
      to--;
    }
    if (from >= to || to - from > 100) {
      return null;
    }
    if (text.charAt(from) == '[') {
      int close = indexOf(text, ']', from + 1, to);
      if (close < 0) {
        return null;
      }
      if (close + 1 < to && (text.charAt(close + 1) != ':' || !isPort(text, close + 2, to))) {
        return null;
      }
      IpAddress inner = parseWithZone(text, from + 1, close);
      // Brackets hold IPv6 literals only (RFC 3986); "[192.0.2.1]" is not a form anyone should trust.
      return inner != null && hasColon(text, from + 1, close) ? inner : null;
    }
    int colon = indexOf(text, ':', from, to);
    if (colon < 0) {
      return tryParse(text, from, to);
    }
    if (indexOf(text, ':', colon + 1, to) < 0) {
      // Exactly one colon: an IPv4 address with a port.
      return isPort(text, colon + 1, to) ? tryParse(text, from, colon) : null;
    }
    return parseWithZone(text, from, to);
  }

  private static IpAddress parseWithZone(CharSequence text, int from, int to) {
    int percent = indexOf(text, '%', from, to);
    if (percent < 0) {
      return tryParse(text, from, to);
    }
    if (percent + 1 == to || !hasColon(text, from, percent)) {
      return null;
    }
    for (int i = percent + 1; i < to; i++) {
      char c = text.charAt(i);
      boolean zoneChar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == '-' || c == '~';
      if (!zoneChar) {
        return null;
      }
    }
    return tryParse(text, from, percent);
  }

  private static boolean isPort(CharSequence text, int from, int to) {
    if (from >= to || to - from > 5) {
      return false;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 65535;
  }

  private static boolean hasColon(CharSequence text, int from, int to) {
    return indexOf(text, ':', from, to) >= 0;
  }

  private static int indexOf(CharSequence text, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** A message saying why {@code text} is not an address literal, echoing the input. */
  static String explainRejection(String text) {
    if (text == null || text.isEmpty()) {
      return "an empty string is not an IP address literal";
    }
    String shown = "'" + text + "'";
    if (looksLikeV4WithLeadingZero(text)) {
      return shown + " is not an IP address literal: octets with leading zeros are ambiguous (octal or decimal)";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0x7e || c < 0x21) {
        return shown + " is not an IP address literal: it contains a character outside printable ASCII";
      }
    }
    if (text.indexOf('%') >= 0) {
      return shown + " is not an IP address literal: a zone id does not belong here";
    }
    return shown + " is not an IP address literal";
  }

  private static boolean looksLikeV4WithLeadingZero(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    boolean leadingZero = false;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 4) {
        return false;
      }
      for (int i = 0; i < part.length(); i++) {
        if (part.charAt(i) < '0' || part.charAt(i) > '9') {
          return false;
        }
      }
      leadingZero |= part.length() > 1 && part.charAt(0) == '0';
    }
    return leadingZero;
  }

  /** Returns the 32-bit value of a dotted quad as a non-negative long, or -1. */
  static long parseV4(CharSequence s, int from, int to) {
    long result = 0;
    int octets = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        value = value * 10 + (c - '0');
        i++;
        if (i - start > 3) {
          return -1;
        }
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      result = (result << 8) | value;
      octets++;
      if (i == to) {
        return octets == 4 ? result : -1;
      }
      if (s.charAt(i) != '.' || octets == 4) {
        return -1;
      }
      i++;
    }
  }

  private static IpAddress parseV6(CharSequence s, int from, int to) {
    // Up to eight 16-bit groups; `gap` is where "::" stood (-1 if absent).
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = from;
    if (s.charAt(i) == ':') {
      if (to - from < 2 || s.charAt(i + 1) != ':') {
        return null;
      }
      gap = 0;
      i += 2;
      if (i == to) {
        return ofV6(0, 0);
      }
    }
    while (i < to) {
      if (count == 8) {
        return null;
      }
      int start = i;
      int value = 0;
      while (i < to && i - start < 5) {
        char c = s.charAt(i);
        if (!HexFormat.isHexDigit(c)) {
          break;
        }
        value = (value << 4) | HexFormat.fromHexDigit(c);
        i++;
      }
      int digits = i - start;
      if (i < to && s.charAt(i) == '.') {
        // An embedded dotted quad fills the last 32 bits.
        if (count > 6 || digits == 0) {
          return null;
        }
        long v4 = parseV4(s, start, to);
        if (v4 < 0) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xffff);
        i = to;
        break;
      }
      if (digits == 0 || digits > 4) {
        return null;
      }
      groups[count++] = value;
      if (i == to) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < to && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
        if (i == to) {
          break;
        }
      } else if (i == to) {
        return null; // a single trailing colon
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    int[] full = new int[8];
    if (gap < 0) {
      full = groups;
    } else {
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    }
    long h = 0;
    long l = 0;
    for (int g = 0; g < 4; g++) {
      h = (h << 16) | full[g];
      l = (l << 16) | full[g + 4];
    }
    return ofV6(h, l);
  }

  public boolean isV4() {
    return v4;
  }

  public boolean isV6() {
    return !v4;
  }

  /** 32 for IPv4, 128 for IPv6. */
  public int bitLength() {
    return v4 ? 32 : 128;
  }

  /** The 32 bits of an IPv4 address. */
  public int v4Bits() {
    if (!v4) {
      throw new IllegalStateException(this + " is not an IPv4 address");
    }
    return (int) lo;
  }

  /**
   * This address as one long, an IPv6 address by its /64: the key that state kept per address uses (a
   * host usually owns a whole /64, so rotating within it must not shed that state). IPv4 keys have their
   * top 32 bits set, which no global unicast /64 has, so the two families never share a key.
   */
  public long hostKey() {
    return v4 ? 0xffff_ffff_0000_0000L | (lo & 0xffff_ffffL) : hi;
  }

  /** The high 64 bits of an IPv6 address (0 for IPv4). */
  public long hi() {
    return hi;
  }

  /** The low 64 bits of an IPv6 address, or the IPv4 value zero-extended. */
  public long lo() {
    return lo;
  }

  /** The address in network byte order. */
  public byte[] toBytes() {
    if (v4) {
      int b = (int) lo;
      return new byte[] {(byte) (b >>> 24), (byte) (b >>> 16), (byte) (b >>> 8), (byte) b};
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (hi >>> (56 - 8 * i));
      out[i + 8] = (byte) (lo >>> (56 - 8 * i));
    }
    return out;
  }

  /** This address with all bits after the first {@code prefixLength} cleared. */
  public IpAddress mask(int prefixLength) {
    int bits = bitLength();
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + bits);
    }
    if (v4) {
      long m = prefixLength == 0 ? 0 : (0xffff_ffffL << (32 - prefixLength)) & 0xffff_ffffL;
      return new IpAddress(0, lo & m, true);
    }
    return new IpAddress(hi & Bits.highMask(prefixLength), lo & Bits.lowMask(prefixLength), false);
  }

  @Override
  public int compareTo(IpAddress o) {
    if (v4 != o.v4) {
      return v4 ? -1 : 1;
    }
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress a && a.v4 == v4 && a.hi == hi && a.lo == lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi * 31 + lo) + (v4 ? 1 : 0);
  }

  /** Dotted quad for IPv4; RFC 5952 canonical text for IPv6. */
  @Override
  public String toString() {
    if (v4) {
      return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
      g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
    }
    // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
