package io.gatehouse.core.reputation;

import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.util.Arrays;

/**
 * Recognises shared addresses from traffic: an address seen with at least {@code visitors} distinct
 * browser signatures within {@code window} is an office, campus or carrier-grade NAT egress, whoever
 * configured it or not.
 *
 * <h2>Layout and costs</h2>
 * Every request is observed, so the structure is a fixed table of {@value #SLOTS} slots chosen by a hash
 * of the address (an IPv4 address, or an IPv6 /64), direct-mapped as a processor cache is: an address
 * takes its slot, and a different address hashing to the same slot takes it over. Each slot holds a small
 * sketch, the last {@code visitors} distinct signatures as ints with the time each was last seen, made on
 * first use. Observing a known visitor is a hash, one lock nobody else holds, and a short scan; it
 * allocates nothing. Memory is bounded by the table whatever the traffic: 24 bytes a slot, and 128 more
 * once it holds a sketch (about 10 MB in all).
 * A flood of addresses can only push others out of their slots, which delays their detection; being
 * detected as shared only ever softens what an address gets, so that costs nobody a refusal.
 *
 * <p>Thread-safe: each slot is guarded by its own monitor.
 */
public final class SharedAddresses {

  /** The table's size, a power of two. */
  static final int SLOTS = 1 << 16;

  /** The two settings, replaced together so that a reload never pairs one's old value with the other's new. */
  private record Settings(int visitors, long windowNanos) {}

  /** The first placeholder signature {@link #markShared} writes. */
  private static final int PLACEHOLDER = 0x6a09e667;

  private final Slot[] slots = new Slot[SLOTS];
  private final Ticker ticker;
  private volatile Settings settings;

  /**
   * @param visitors distinct signatures that mark an address shared, 2 to 64
   * @param window within how long
   */
  public SharedAddresses(int visitors, Duration window, Ticker ticker) {
    this.ticker = ticker;
    configure(visitors, window);
    Arrays.setAll(slots, i -> new Slot());
  }

  /** Applies a reloaded configuration. */
  public void configure(int visitors, Duration window) {
    settings = new Settings(visitors, window.toNanos());
  }

  private Slot slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return slots[(int) (h >>> 48) & (SLOTS - 1)];
  }

  /** Notes that a visitor with {@code signature} came from {@code ip}; returns whether {@code ip} is now shared. */
  public boolean observe(IpAddress ip, int signature) {
    if (ip == null) {
      return false;
    }
    long key = ip.hostKey();
    Slot s = slot(key);
    long now = ticker.read();
    Settings c = settings;
    int known = s.knownFresh(key, signature, now, c.windowNanos());
    return known >= 0 ? known >= c.visitors() : s.observe(key, signature, now, c.visitors(), c.windowNanos());
  }

  /** Whether {@code ip} was seen with enough distinct signatures within the window, without recording anything. */
  public boolean isShared(IpAddress ip) {
    if (ip == null) {
      return false;
    }
    long key = ip.hostKey();
    Settings c = settings;
    return slot(key).distinct(key, ticker.read(), c.windowNanos()) >= c.visitors();
  }

  /**
   * Marks {@code ip} shared for the window, as another instance detected it: its sketch is filled with
   * placeholder signatures, which give way to real ones as they come.
   */
  public void markShared(IpAddress ip) {
    if (ip == null) {
      return;
    }
    long key = ip.hostKey();
    Settings c = settings;
    Slot s = slot(key);
    long now = ticker.read();
    for (int i = 0; i < c.visitors(); i++) {
      s.observe(key, PLACEHOLDER + i, now, c.visitors(), c.windowNanos());
    }
  }

  /** Slots holding an address now (a count over the table, for status). */
  public long size() {
    long n = 0;
    for (Slot s : slots) {
      synchronized (s) {
        n += s.seen == null ? 0 : 1;
      }
    }
    return n;
  }

  /**
   * One address's last distinct signatures and when each was last seen. Changes are made under its
   * monitor; {@link #knownFresh} reads without it, for the common case of a visitor seen before.
   */
  static final class Slot {
    private volatile long key;
    private volatile int[] signatures;
    private volatile long[] seen;

    /**
     * For a signature already in the sketch and fresh: refreshes its time and returns the distinct
     * signatures now; otherwise -1, and {@link #observe} is needed. Reads without the lock: a racing
     * writer can at worst make this miss (then {@code observe} decides) or refresh a time a little late,
     * which only a heuristic depends on.
     */
    int knownFresh(long address, int signature, long now, long windowNanos) {
      long[] t = seen;
      int[] sig = signatures;
      if (t == null || sig == null || key != address || t.length != sig.length) {
        return -1;
      }
      int live = 0;
      boolean found = false;
      for (int i = 0; i < t.length; i++) {
        boolean fresh = t[i] != Long.MIN_VALUE && now - t[i] <= windowNanos;
        if (fresh) {
          live++;
          if (sig[i] == signature) {
            t[i] = now;
            found = true;
          }
        }
      }
      return found ? live : -1;
    }

    synchronized boolean observe(long address, int signature, long now, int visitors, long windowNanos) {
      if (seen == null || key != address || seen.length != visitors) {
        if (seen == null || seen.length != visitors) {
          signatures = new int[visitors];
          seen = new long[visitors];
        }
        Arrays.fill(seen, Long.MIN_VALUE);
        key = address;
      }
      int slot = -1;
      int oldest = 0;
      for (int i = 0; i < visitors; i++) {
        boolean fresh = seen[i] != Long.MIN_VALUE && now - seen[i] <= windowNanos;
        if (fresh && signatures[i] == signature) {
          seen[i] = now;
          return count(now, windowNanos) >= visitors;
        }
        if (!fresh && slot < 0) {
          slot = i;
        }
        if (seen[i] < seen[oldest]) {
          oldest = i;
        }
      }
      // A new signature takes a place that has gone stale, or else the one seen longest ago.
      slot = slot < 0 ? oldest : slot;
      signatures[slot] = signature;
      seen[slot] = now;
      return count(now, windowNanos) >= visitors;
    }

    synchronized int distinct(long address, long now, long windowNanos) {
      return seen == null || key != address ? 0 : count(now, windowNanos);
    }

    private int count(long now, long windowNanos) {
      int live = 0;
      for (long t : seen) {
        if (t != Long.MIN_VALUE && now - t <= windowNanos) {
          live++;
        }
      }
      return live;
    }
  }
}
