package io.gatehouse.core.net;

/** 128-bit helpers over (hi, lo) pairs of unsigned longs. */
final class Bits {

  private Bits() {}

  /** Mask for the high word keeping the first {@code prefix} bits of 128. */
  static long highMask(int prefix) {
    if (prefix <= 0) {
      return 0L;
    }
    return prefix >= 64 ? -1L : -1L << (64 - prefix);
  }

  /** Mask for the low word keeping the first {@code prefix} bits of 128. */
  static long lowMask(int prefix) {
    if (prefix <= 64) {
      return 0L;
    }
    return prefix >= 128 ? -1L : -1L << (128 - prefix);
  }
}
