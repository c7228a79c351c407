package io.gatehouse.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate limiting counters shared by the cluster: local counting with batched synchronisation.
 *
 * <p>Each instance counts in its own {@link RateCounters}, as alone. What it counted for a key since the
 * last synchronisation waits here in an atomic per key; every {@value ClusterLink#FLUSH_MILLIS} ms the link
 * adds it to the key's counter in the store in one batch ({@link Engine.StateStore#addCounts}) and learns
 * the cluster's total, hence what the other instances counted meanwhile, which it adds to its own counter.
 * So each instance's counter is the cluster's, late by at most an interval and a round trip, and a hot key
 * costs the store one increment per instance per interval, never one per request.
 *
 * <p>Accuracy: between two synchronisations an instance sees only its own new requests, so the cluster
 * admits beyond the rate at most the requests that reach it within one interval and a round trip.
 *
 * <p>At most {@value #MAX_KEYS} keys are followed; keys beyond are counted by each instance for itself (and
 * counted in {@link #untracked}). A key idle for twice its period is forgotten. Thread-safe.
 */
final class RateSync {

  static final int MAX_KEYS = 65_536;
  static final int PER_BATCH = 2_000;
  /** The most one synchronisation adds for a key, so a corrupt total cannot wrap a counter. */
  private static final long MAX_ADD = 1_000_000_000L;

  private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong untracked = new AtomicLong();

  /** A key followed: where it is counted here, and what is waiting to be sent. */
  private static final class Entry {
    final String storeKey;
    final RateCounters counters;
    final long localKey;
    final long periodNanos;
    final int limit;
    final long timeoutNanos;
    final AtomicLong pending = new AtomicLong();
    /** The store's total when last read; -1 before the first synchronisation. */
    long lastTotal = -1;
    volatile long touched;

    Entry(String storeKey, RateCounters counters, long localKey, long periodNanos, int limit, long timeoutNanos) {
      this.storeKey = storeKey;
      this.counters = counters;
      this.localKey = localKey;
      this.periodNanos = periodNanos;
      this.limit = limit;
      this.timeoutNanos = timeoutNanos;
    }
  }

  /**
   * Notes that this instance counted {@code amount} for a key. From request threads: a map lookup and an
   * atomic add, and an entry made the first time a key is seen.
   *
   * @param clusterKey the key as every instance computes it (unsalted)
   * @param localKey the key in {@code counters} (salted)
   */
  void counted(long clusterKey, RateCounters counters, long localKey, long periodNanos, int limit, long timeoutNanos,
      int amount, long nowNanos) {
    Entry e = entries.get(clusterKey);
    if (e == null) {
      if (entries.size() >= MAX_KEYS) {
        untracked.incrementAndGet();
        return;
      }
      e = entries.computeIfAbsent(clusterKey, k -> new Entry(HexFormat.of().toHexDigits(k), counters, localKey,
          periodNanos, limit, timeoutNanos));
    }
    e.touched = nowNanos;
    e.pending.addAndGet(amount);
  }

  /** Sends what is pending and adds what the others counted; on the link's thread. */
  void flush(Engine.StateStore store, long nowNanos, long timeoutMillis) throws Exception {
    List<Entry> batch = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    long longest = 0;
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && batch.size() < PER_BATCH; ) {
      Entry e = it.next();
      if (e.pending.get() == 0) {
        if (nowNanos - e.touched > 2 * e.periodNanos) {
          it.remove();
        }
        continue;
      }
      batch.add(e);
      keys.add(e.storeKey);
      longest = Math.max(longest, e.periodNanos);
    }
    if (batch.isEmpty()) {
      return;
    }
    long[] amounts = new long[batch.size()];
    for (int i = 0; i < amounts.length; i++) {
      amounts[i] = batch.get(i).pending.getAndSet(0);
    }
    long[] totals;
    try {
      totals = store.addCounts(keys, amounts, Duration.ofNanos(2 * longest).plusSeconds(1)).toCompletableFuture()
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
      if (totals.length != amounts.length) {
        throw new IllegalStateException("the store answered " + totals.length + " totals for " + amounts.length);
      }
    } catch (Exception e) {
      // Sent again next time: what this instance counted is not lost to the others.
      for (int i = 0; i < amounts.length; i++) {
        batch.get(i).pending.addAndGet(amounts[i]);
      }
      throw e;
    }
    for (int i = 0; i < amounts.length; i++) {
      Entry e = batch.get(i);
      long before = e.lastTotal < 0 || totals[i] < e.lastTotal + amounts[i] ? 0 : e.lastTotal;
      long others = Math.min(MAX_ADD, Math.max(0, totals[i] - before - amounts[i]));
      // The first synchronisation of a key learns all the others counted before this instance followed it.
      e.lastTotal = totals[i];
      if (others > 0) {
        e.counters.add(e.localKey, nowNanos, e.periodNanos, e.limit, e.timeoutNanos, (int) others);
      }
    }
  }

  /** Keys followed now. */
  int size() {
    return entries.size();
  }

  /** Counts not shared because {@value #MAX_KEYS} keys were followed already. */
  long untracked() {
    return untracked.get();
  }
}
