package io.gatehouse.core.rules.expr;

import java.util.Arrays;

/**
 * An integer set literal ({@code {80 443 8000..8999}}) as sorted, disjoint, non-adjacent ranges in two
 * parallel arrays: membership is one binary search.
 *
 * <p>Instances are immutable and thread-safe.
 */
final class IntRanges {

  private final long[] firsts;
  private final long[] lasts;

  private IntRanges(long[] firsts, long[] lasts) {
    this.firsts = firsts;
    this.lasts = lasts;
  }

  /** The union of ranges given as {@code first, last} pairs, each with {@code first <= last}. */
  static IntRanges of(long[] pairs, int count) {
    long[][] ranges = new long[count][];
    for (int i = 0; i < count; i++) {
      ranges[i] = new long[] {pairs[2 * i], pairs[2 * i + 1]};
    }
    Arrays.sort(ranges, (a, b) -> Long.compare(a[0], b[0]));
    long[] firsts = new long[count];
    long[] lasts = new long[count];
    int n = 0;
    for (long[] r : ranges) {
      if (n > 0 && (r[0] <= lasts[n - 1] || r[0] - 1 == lasts[n - 1])) {
        lasts[n - 1] = Math.max(lasts[n - 1], r[1]);
      } else {
        firsts[n] = r[0];
        lasts[n] = r[1];
        n++;
      }
    }
    return new IntRanges(Arrays.copyOf(firsts, n), Arrays.copyOf(lasts, n));
  }

  boolean contains(long value) {
    int low = 0;
    int high = firsts.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (firsts[mid] <= value) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return high >= 0 && value <= lasts[high];
  }
}
