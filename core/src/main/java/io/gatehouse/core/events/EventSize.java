package io.gatehouse.core.events;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The heap a {@link SecurityEvent} keeps alive, estimated from its fields the way HotSpot lays them out,
 * so that the event log can be bounded in bytes and not only in count.
 *
 * <h2>Layout</h2>
 * On a 64-bit HotSpot an object has a 12-byte header (compressed class pointers, the default), an array
 * 16 bytes (the header and its length), and everything is aligned to 8 bytes. A reference takes 4 bytes
 * with compressed references (the default for heaps under 32 GiB) and 8 without. A {@code String} is an
 * object of 24 bytes (32 with wide references: header, hash, coder, a flag, the array) and a
 * {@code byte[]} holding one byte a character when every character is Latin-1 (compact strings, the
 * default) or two bytes a character as soon as one is not: a 1,024-character path costs 1,064 bytes in
 * Latin-1 and 2,088 in UTF-16. Both settings are read from the running JVM once.
 *
 * <h2>What is counted</h2>
 * The record itself (17 references, a {@code long}, four {@code int}s and two {@code boolean}s), its
 * {@code Instant}, and every string that is made for the request or comes from it: Ray ID, rule id,
 * description, client and peer address, method, host, path, query and User-Agent, each once when two
 * fields hold the same string. Strings every event shares are left out: how the address was derived and
 * whether it is shared come from fixed vocabularies, the country and the AS organisation from the geo
 * data loaded once. A string an event shares with another (a rule's configured description, a method the
 * container interned) is counted in each, so the estimate errs high by those few dozen bytes, never low.
 */
final class EventSize {

  private static final boolean COMPRESSED_REFERENCES = vmOption("UseCompressedOops", true);
  private static final boolean COMPACT_STRINGS = vmOption("CompactStrings", true);

  private static final int HEADER = 12;
  private static final int ARRAY_HEADER = 16;
  static final int REFERENCE = COMPRESSED_REFERENCES ? 4 : 8;
  /** A header, 17 references, {@code asn}, four {@code int}s and two {@code boolean}s. */
  static final long RECORD = align(HEADER + 17 * REFERENCE + 8 + 4 * 4 + 2);
  /** A header, the seconds and the nanoseconds. */
  static final long INSTANT = align(HEADER + 8 + 4);
  /** A header, the hash, the coder, the hash-is-zero flag and the reference to the array. */
  static final long STRING = align(HEADER + 4 + 1 + 1 + REFERENCE);

  private EventSize() {}

  /** The estimated bytes {@code e} keeps alive. */
  static int of(SecurityEvent e) {
    String[] counted = {e.rayId(), e.ruleId(), e.description(), e.clientIp(), e.peerIp(), e.method(), e.host(),
        e.path(), e.query(), e.userAgent()};
    long bytes = RECORD + INSTANT;
    for (int i = 0; i < counted.length; i++) {
      if (!seenBefore(counted, i)) {
        bytes += string(counted[i]);
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  private static boolean seenBefore(String[] strings, int i) {
    for (int j = 0; j < i; j++) {
      if (strings[j] == strings[i]) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of a string and its array; 0 for {@code null}. */
  static long string(String s) {
    if (s == null) {
      return 0;
    }
    long chars = s.length();
    return STRING + array(chars, COMPACT_STRINGS && latin1(s) ? 1 : 2);
  }

  /** The bytes of an array of {@code length} elements of {@code elementBytes} each. */
  static long array(long length, int elementBytes) {
    return align(ARRAY_HEADER + length * elementBytes);
  }

  private static boolean latin1(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** A boolean option of the running HotSpot, or {@code otherwise} when it cannot be read. */
  private static boolean vmOption(String name, boolean otherwise) {
    try {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return vm == null ? otherwise : "true".equals(vm.getVMOption(name).getValue());
    } catch (RuntimeException | LinkageError e) {
      return otherwise;
    }
  }
}
