package io.gatehouse.core.rules.expr.prefilter;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper estimate of the size of the program RE2/J compiles a pattern to, read from the pattern text.
 *
 * <p>RE2/J caps each repetition count at 1000 but not their product, and {@code ((a{1000}){1000}){1000}}
 * would build a program of a billion instructions before anything could measure it; this estimate is
 * cheap and bounded, so a pattern far too large is refused before it is compiled. Literals and classes
 * count one, repeats multiply, and the sums saturate rather than overflow.
 */
final class ProgramSize {

  private static final long SATURATED = 1L << 40;

  private ProgramSize() {}

  /** An overestimate of the compiled program's instruction count. */
  static long estimate(String re) {
    Deque<long[]> groups = new ArrayDeque<>();
    long sum = 0;
    long last = 0;
    int n = re.length();
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      long cost = 1;
      switch (c) {
        case '\\' -> {
          if (i + 1 < n && re.charAt(i + 1) == 'Q') {
            int end = re.indexOf("\\E", i + 2);
            int stop = end < 0 ? n : end + 2;
            cost = Math.max(1, stop - i);
            i = stop;
          } else if (i + 2 < n && "pPx".indexOf(re.charAt(i + 1)) >= 0 && re.charAt(i + 2) == '{') {
            int end = re.indexOf('}', i + 3);
            i = end < 0 ? n : end + 1;
          } else {
            i = Math.min(n, i + 2);
          }
          sum = add(sum, cost);
          last = cost;
        }
        case '[' -> {
          i = skipClass(re, i);
          sum = add(sum, 1);
          last = 1;
        }
        case '(' -> {
          groups.push(new long[] {sum, last});
          sum = 0;
          last = 0;
          i++;
        }
        case ')' -> {
          long group = add(sum, 2);
          if (groups.isEmpty()) {
            sum = group;
          } else {
            long[] outer = groups.pop();
            sum = add(outer[0], group);
          }
          last = group;
          i++;
        }
        case '*', '+', '?' -> {
          sum = add(sum, add(last, 1));
          last = add(last, last);
          i++;
        }
        case '{' -> {
          int[] repeat = new int[2];
          int after = parseRepeat(re, i, repeat);
          if (after < 0) {
            sum = add(sum, 1);
            last = 1;
            i++;
          } else {
            long k = Math.max(1, Math.max(repeat[0], repeat[1]));
            sum = add(sum, mul(last, k - 1) + k);
            last = mul(last, k);
            i = after;
          }
        }
        case '|' -> {
          sum = add(sum, 1);
          last = 0;
          i++;
        }
        default -> {
          sum = add(sum, 1);
          last = 1;
          i++;
        }
      }
    }
    while (!groups.isEmpty()) {
      sum = add(groups.pop()[0], sum);
    }
    return sum;
  }

  private static int skipClass(String re, int open) {
    int n = re.length();
    int j = open + 1;
    if (j < n && re.charAt(j) == '^') {
      j++;
    }
    if (j < n && re.charAt(j) == ']') {
      j++;
    }
    while (j < n && re.charAt(j) != ']') {
      if (re.charAt(j) == '\\') {
        j += 2;
      } else if (re.startsWith("[:", j)) {
        int end = re.indexOf(":]", j + 2);
        j = end < 0 ? j + 1 : end + 2;
      } else {
        j++;
      }
    }
    return Math.min(n, j + 1);
  }

  /** Parses {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code open}; returns the index after it, or -1. */
  private static int parseRepeat(String re, int open, int[] out) {
    int n = re.length();
    int j = open + 1;
    int first = 0;
    int digits = 0;
    while (j < n && Character.isDigit(re.charAt(j)) && digits < 6) {
      first = first * 10 + (re.charAt(j++) - '0');
      digits++;
    }
    if (digits == 0 || j >= n) {
      return -1;
    }
    int second = first;
    if (re.charAt(j) == ',') {
      j++;
      int d2 = 0;
      int value = 0;
      while (j < n && Character.isDigit(re.charAt(j)) && d2 < 6) {
        value = value * 10 + (re.charAt(j++) - '0');
        d2++;
      }
      second = d2 == 0 ? first + 1 : value;
    }
    if (j >= n || re.charAt(j) != '}') {
      return -1;
    }
    out[0] = first;
    out[1] = second;
    return j + 1;
  }

  private static long add(long a, long b) {
    return Math.min(SATURATED, a + b);
  }

  private static long mul(long a, long b) {
    return a == 0 || b == 0 ? 0 : a > SATURATED / b ? SATURATED : Math.min(SATURATED, a * b);
  }
}
