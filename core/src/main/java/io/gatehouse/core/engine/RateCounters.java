package io.gatehouse.core.engine;

import java.security.SecureRandom;

/**
 * The counters of the rate limiting rules: one per rule and key, in a fixed table of at most
 * {@code capacity} counters, so a million distinct keys cost the same memory as a thousand.
 *
 * <p>Each counter is a sliding window approximated from two fixed ones, as the CDN counts: the count of
 * the current period plus the previous period's count weighted by how much of it the sliding window still
 * covers. A key that goes over its rule's rate is refused until {@code blockedUntil}. A counter takes 28
 * bytes (six parallel arrays); the table is 4-way set associative and, when a set is full, the counter
 * least recently touched gives way, never one that is refusing its key while another is not. Keys are
 * hashed with a random salt, so no one can aim their keys at another's set.
 *
 * <p>Thread-safe: a set is guarded by one of 1,024 striped locks, held for a few array reads and writes.
 */
final class RateCounters {

  static final int WAYS = 4;
  private static final int STRIPES = 1_024;
  private static final long SECOND = 1_000_000_000L;

  private final long salt = new SecureRandom().nextLong();
  private final long origin;
  private final int sets;
  private final long[] keys;
  private final int[] window;
  private final int[] current;
  private final int[] previous;
  private final int[] blockedUntil;
  private final int[] touched;
  private final Object[] locks = new Object[STRIPES];

  /** A table's size: the capacity asked for, rounded up to a power of two. */
  record Size(int asked) {
    int slots() {
      return Math.max(WAYS, Integer.highestOneBit(Math.max(1, asked - 1)) << 1);
    }
  }

  /** @param capacity counters at most (rounded up to a power of two) */
  RateCounters(int capacity, long nowNanos) {
    int size = new Size(capacity).slots();
    this.sets = size / WAYS;
    this.keys = new long[size];
    this.window = new int[size];
    this.current = new int[size];
    this.previous = new int[size];
    this.blockedUntil = new int[size];
    this.touched = new int[size];
    this.origin = nowNanos - SECOND;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  int capacity() {
    return keys.length;
  }

  /** The salted 64-bit key for a rule and a value hash; never 0, which marks a free slot. */
  long key(long ruleHash, long valueHash) {
    long k = mix(salt ^ ruleHash) * 31 + valueHash;
    k = mix(k);
    return k == 0 ? 1 : k;
  }

  /** SplitMix64's finaliser: every input bit reaches every output bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * What one request of a rule does to its counter.
   *
   * @param count whether the request counts now (else only the counter's state is read)
   * @param amount what it counts
   * @return {@link #allowed(long)} and the estimated count, or a refusal with the seconds to wait
   */
  long request(long key, long nowNanos, long periodNanos, int limit, long timeoutNanos, boolean count, int amount) {
    int set = set(key);
    synchronized (locks[set & (STRIPES - 1)]) {
      long t = nowNanos - origin;
      int i = slot(key, set, nowNanos, true);
      int nowSec = seconds(nowNanos);
      roll(i, t, periodNanos);
      if (blockedUntil[i] > nowSec) {
        return refused(blockedUntil[i] - nowSec, estimate(i, t, periodNanos));
      }
      long estimate = estimate(i, t, periodNanos);
      long after = estimate + (count ? amount : 0);
      if (count ? after > limit : estimate >= limit) {
        if (timeoutNanos > 0) {
          blockedUntil[i] = nowSec + (int) Math.max(1, timeoutNanos / SECOND);
          return refused(blockedUntil[i] - nowSec, after);
        }
        // Throttling: only the requests over the rate are refused, and they do not count.
        return refused(secondsUntilUnder(i, t, periodNanos, limit), estimate);
      }
      if (count) {
        current[i] = (int) Math.min(Integer.MAX_VALUE, (long) current[i] + amount);
      }
      return after;
    }
  }

  /**
   * Counts what the application's answer says a request costs; a key that goes over its rate is refused
   * from its next request on ({@code timeoutNanos}), or until it is back under the rate (zero).
   */
  void add(long key, long nowNanos, long periodNanos, int limit, long timeoutNanos, int amount) {
    if (amount <= 0) {
      return;
    }
    int set = set(key);
    synchronized (locks[set & (STRIPES - 1)]) {
      long t = nowNanos - origin;
      int i = slot(key, set, nowNanos, true);
      roll(i, t, periodNanos);
      current[i] = (int) Math.min(Integer.MAX_VALUE, (long) current[i] + amount);
      int nowSec = seconds(nowNanos);
      if (timeoutNanos > 0 && blockedUntil[i] <= nowSec && estimate(i, t, periodNanos) > limit) {
        blockedUntil[i] = nowSec + (int) Math.max(1, timeoutNanos / SECOND);
      }
    }
  }

  /** The counter's state without changing it, for explain: the estimated count, or a refusal. */
  long peek(long key, long nowNanos, long periodNanos, int limit, boolean countsOnArrival) {
    int set = set(key);
    synchronized (locks[set & (STRIPES - 1)]) {
      long t = nowNanos - origin;
      int i = slot(key, set, nowNanos, false);
      if (i < 0) {
        return 0;
      }
      long w = t / periodNanos;
      long cur = window[i] == (int) w ? current[i] : 0;
      long prev = window[i] == (int) w ? previous[i] : window[i] == (int) (w - 1) ? current[i] : 0;
      long estimate = weighted(prev, cur, t, periodNanos);
      int nowSec = seconds(nowNanos);
      if (blockedUntil[i] > nowSec) {
        return refused(blockedUntil[i] - nowSec, estimate);
      }
      return countsOnArrival ? estimate : estimate >= limit ? refused(1, estimate) : estimate;
    }
  }

  static boolean allowed(long result) {
    return result >= 0;
  }

  /** The estimated count a result carries. */
  static long countOf(long result) {
    return result >= 0 ? result : (-result) & 0xFFFF_FFFFL;
  }

  /** The seconds a refused request should wait. */
  static long retryAfter(long result) {
    return result >= 0 ? 0 : (-result) >>> 32;
  }

  private static long refused(long seconds, long count) {
    return -((Math.max(1, Math.min(seconds, Integer.MAX_VALUE)) << 32) | Math.min(count, 0xFFFF_FFFFL));
  }

  private int set(long key) {
    return (int) (key >>> 40) & (sets - 1);
  }

  private int seconds(long nowNanos) {
    return (int) ((nowNanos - origin) / SECOND);
  }

  /** The slot of {@code key} in its set; made (evicting) when {@code create}, else -1 when absent. */
  private int slot(long key, int set, long nowNanos, boolean create) {
    int base = set * WAYS;
    int nowSec = seconds(nowNanos);
    for (int i = base; i < base + WAYS; i++) {
      if (keys[i] == key) {
        touched[i] = nowSec;
        return i;
      }
    }
    if (!create) {
      return -1;
    }
    int victim = -1;
    for (int i = base; i < base + WAYS; i++) {
      if (keys[i] == 0) {
        victim = i;
        break;
      }
      boolean refusing = blockedUntil[i] > nowSec;
      if (victim < 0 || better(i, victim, nowSec, refusing)) {
        victim = i;
      }
    }
    keys[victim] = key;
    window[victim] = 0;
    current[victim] = 0;
    previous[victim] = 0;
    blockedUntil[victim] = 0;
    touched[victim] = nowSec;
    return victim;
  }

  /** Whether slot {@code i} should give way before {@code victim}: not refusing first, then least recent. */
  private boolean better(int i, int victim, int nowSec, boolean refusing) {
    boolean victimRefusing = blockedUntil[victim] > nowSec;
    if (refusing != victimRefusing) {
      return !refusing;
    }
    return touched[i] < touched[victim];
  }

  /** Moves the counter's windows on to the period {@code t} (nanoseconds since the table began) is in. */
  private void roll(int i, long t, long periodNanos) {
    int w = (int) (t / periodNanos);
    if (window[i] == w) {
      return;
    }
    previous[i] = window[i] == w - 1 ? current[i] : 0;
    current[i] = 0;
    window[i] = w;
  }

  private long estimate(int i, long t, long periodNanos) {
    return weighted(previous[i], current[i], t, periodNanos);
  }

  /** The sliding window's count: the current period's plus the part of the previous one it still covers. */
  private static long weighted(long prev, long cur, long t, long periodNanos) {
    long into = t % periodNanos;
    return cur + (long) Math.floor(prev * (double) (periodNanos - into) / periodNanos);
  }

  /** When a throttled key is back under its rate, in whole seconds, at least 1. */
  private long secondsUntilUnder(int i, long t, long periodNanos, int limit) {
    long into = t % periodNanos;
    long untilNext = periodNanos - into;
    if (current[i] >= limit) {
      // Under again only once the current period is the previous one and has slid far enough out.
      long next = periodNanos - (long) ((double) periodNanos * Math.max(0, limit - 1) / Math.max(1, current[i]));
      return Math.max(1, (untilNext + next + SECOND - 1) / SECOND);
    }
    // The previous period's weight must fall by the excess.
    double excess = previous[i] + (double) current[i] - limit + 1;
    long nanos = previous[i] == 0 ? untilNext : (long) (excess / previous[i] * periodNanos);
    return Math.max(1, (Math.min(nanos, untilNext) + SECOND - 1) / SECOND);
  }
}
