package io.gatehouse.core.reputation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * Recognises shared addresses from traffic: an address seen with at least {@code visitors} distinct
 * browser signatures within {@code window} is an office, campus or carrier-grade NAT egress, whoever
 * configured it or not.
 *
 * <h2>Memory</h2>
 * Per address a small sketch: the last {@code visitors} distinct signatures, as ints, with the time each
 * was last seen. At most {@code maxAddresses} addresses are kept (Caffeine, size-bounded), and an address
 * not seen for a window is dropped, so a flood of addresses evicts instead of growing. Recording a
 * signature already in the sketch writes one time stamp and allocates nothing.
 *
 * <p>Thread-safe.
 */
public final class SharedAddresses {

  private final Cache<IpAddress, Sketch> sketches;
  private final Ticker ticker;
  private volatile int visitors;
  private volatile long windowNanos;

  /**
   * @param maxAddresses how many addresses are kept at most
   * @param visitors distinct signatures that mark an address shared, 2 to 64
   * @param window within how long
   */
  public SharedAddresses(int maxAddresses, int visitors, Duration window, Ticker ticker, Executor executor) {
    this.ticker = ticker;
    this.visitors = visitors;
    this.windowNanos = window.toNanos();
    this.sketches = Caffeine.newBuilder().maximumSize(maxAddresses).expireAfterAccess(window).ticker(ticker)
        .executor(executor).build();
  }

  /** Applies a reloaded configuration. */
  public void configure(int maxAddresses, int visitors, Duration window) {
    this.visitors = visitors;
    this.windowNanos = window.toNanos();
    sketches.policy().eviction().ifPresent(e -> e.setMaximum(maxAddresses));
    sketches.policy().expireAfterAccess().ifPresent(e -> e.setExpiresAfter(window));
  }

  /** Notes that a visitor with {@code signature} came from {@code ip}; returns whether {@code ip} is now shared. */
  public boolean observe(IpAddress ip, int signature) {
    if (ip == null) {
      return false;
    }
    Sketch s = sketches.get(BehaviourTracker.key(ip), k -> new Sketch());
    return s.observe(signature, ticker.read(), visitors, windowNanos);
  }

  /** Whether {@code ip} was seen with enough distinct signatures within the window, without recording anything. */
  public boolean isShared(IpAddress ip) {
    if (ip == null) {
      return false;
    }
    Sketch s = sketches.getIfPresent(BehaviourTracker.key(ip));
    return s != null && s.distinct(ticker.read(), windowNanos) >= visitors;
  }

  /** Addresses sketched now (an estimate). */
  public long size() {
    return sketches.estimatedSize();
  }

  /** The last distinct signatures of one address and when each was last seen. Guarded by its monitor. */
  static final class Sketch {
    private int[] signatures = new int[0];
    private long[] seen = new long[0];

    synchronized boolean observe(int signature, long now, int visitors, long windowNanos) {
      if (signatures.length != visitors) {
        int old = signatures.length;
        signatures = Arrays.copyOf(signatures, visitors);
        seen = Arrays.copyOf(seen, visitors);
        if (visitors > old) {
          Arrays.fill(seen, old, visitors, Long.MIN_VALUE);
        }
      }
      int slot = -1;
      int oldest = 0;
      for (int i = 0; i < visitors; i++) {
        boolean fresh = seen[i] != Long.MIN_VALUE && now - seen[i] <= windowNanos;
        if (fresh && signatures[i] == signature) {
          seen[i] = now;
          return distinct(now, windowNanos) >= visitors;
        }
        if (!fresh && slot < 0) {
          slot = i;
        }
        if (seen[i] < seen[oldest]) {
          oldest = i;
        }
      }
      // A new signature takes a slot that has gone stale, or else the one seen longest ago.
      slot = slot < 0 ? oldest : slot;
      signatures[slot] = signature;
      seen[slot] = now;
      return distinct(now, windowNanos) >= visitors;
    }

    synchronized int distinct(long now, long windowNanos) {
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
