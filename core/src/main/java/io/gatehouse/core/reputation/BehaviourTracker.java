package io.gatehouse.core.reputation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What addresses have been doing: points earned by being mitigated or by probing, decaying with a
 * half-life. An IPv4 address is tracked alone, an IPv6 address by its /64 (a host usually owns a whole
 * /64, so rotating within it would otherwise shed every point).
 *
 * <h2>Memory</h2>
 * At most {@code maxTracked} addresses are kept (Caffeine, size-bounded with frequency-aware eviction),
 * so a flood of spoofed or rotating addresses cannot exhaust memory: it evicts the least valuable
 * entries. An entry is a small object (a double, a long and, only for addresses that probe, a short
 * array of path hashes), and one not written for twelve half-lives (when its points have decayed below
 * 1/4096 of their value) is dropped.
 *
 * <p>Thread-safe.
 */
public final class BehaviourTracker {

  private final Cache<IpAddress, Entry> entries;
  private final Ticker ticker;
  private volatile long halfLifeNanos;

  /**
   * @param maxTracked how many addresses are kept at most
   * @param halfLife how fast points decay
   * @param ticker the time source, in nanoseconds (tests advance it instead of sleeping)
   * @param executor where eviction work runs ({@code Runnable::run} to run it on the caller)
   */
  public BehaviourTracker(int maxTracked, Duration halfLife, Ticker ticker, Executor executor) {
    this.halfLifeNanos = halfLife.toNanos();
    this.ticker = ticker;
    this.entries = Caffeine.newBuilder()
        .maximumSize(maxTracked)
        .expireAfter(new Expiry<IpAddress, Entry>() {
          @Override
          public long expireAfterCreate(IpAddress key, Entry value, long currentTime) {
            return 12 * halfLifeNanos;
          }

          @Override
          public long expireAfterUpdate(IpAddress key, Entry value, long currentTime, long currentDuration) {
            return 12 * halfLifeNanos;
          }

          @Override
          public long expireAfterRead(IpAddress key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .ticker(ticker)
        .executor(executor)
        .build();
  }

  /** Applies a reloaded configuration: the bound and the half-life. */
  public void configure(int maxTracked, Duration halfLife) {
    this.halfLifeNanos = halfLife.toNanos();
    entries.policy().eviction().ifPresent(e -> e.setMaximum(maxTracked));
  }

  /**
   * The key an address is tracked under: the IPv4 address itself (so reading an IPv4 address's points
   * allocates nothing), or the IPv6 /64.
   */
  static IpAddress key(IpAddress ip) {
    return ip.isV4() || ip.lo() == 0 ? ip : ip.mask(64);
  }

  /** The address's points now, after decay. */
  public double points(IpAddress ip) {
    if (ip == null) {
      return 0;
    }
    Entry e = entries.getIfPresent(key(ip));
    return e == null ? 0 : e.points(ticker.read(), halfLifeNanos);
  }

  /** Adds points to an address (a mitigation, a failed challenge). */
  public void add(IpAddress ip, double points) {
    if (ip == null || points <= 0) {
      return;
    }
    Entry e = entries.get(key(ip), k -> new Entry());
    e.add(points, ticker.read(), halfLifeNanos);
    // Written again so the entry's expiry restarts from now.
    entries.put(key(ip), e);
  }

  /**
   * Notes a 403 or 404 the application gave an address, and returns whether it has now answered as many
   * distinct paths within {@code window} as {@code threshold}: the pattern of a scanner walking a list of
   * paths, not of a visitor who mistyped one.
   */
  public boolean probed(IpAddress ip, String path, int threshold, Duration window) {
    if (ip == null) {
      return false;
    }
    Entry e = entries.get(key(ip), k -> new Entry());
    return e.probe(path.hashCode(), ticker.read(), threshold, window.toNanos());
  }

  /** Addresses tracked now (an estimate, as the cache counts). */
  public long size() {
    return entries.estimatedSize();
  }

  /** Runs pending eviction now (for tests and status). */
  public void cleanUp() {
    entries.cleanUp();
  }

  /** One address's points and recent probes. Guarded by its own monitor. */
  static final class Entry {
    private double points;
    private long stamp;
    private int[] probePaths;
    private long[] probeTimes;

    synchronized double points(long now, long halfLifeNanos) {
      return decayed(now, halfLifeNanos);
    }

    synchronized void add(double more, long now, long halfLifeNanos) {
      points = Math.min(1_000, decayed(now, halfLifeNanos) + more);
      stamp = now;
    }

    private double decayed(long now, long halfLifeNanos) {
      if (points == 0) {
        return 0;
      }
      long elapsed = Math.max(0, now - stamp);
      return points * Math.pow(0.5, (double) elapsed / halfLifeNanos);
    }

    synchronized boolean probe(int pathHash, long now, int threshold, long windowNanos) {
      if (probePaths == null || probePaths.length != threshold) {
        probePaths = new int[threshold];
        probeTimes = new long[threshold];
        java.util.Arrays.fill(probeTimes, Long.MIN_VALUE);
      }
      int distinct = 0;
      int oldest = 0;
      boolean seen = false;
      for (int i = 0; i < threshold; i++) {
        boolean live = probeTimes[i] != Long.MIN_VALUE && now - probeTimes[i] <= windowNanos;
        if (!live) {
          probeTimes[i] = Long.MIN_VALUE;
        } else if (probePaths[i] == pathHash) {
          probeTimes[i] = now;
          seen = true;
          distinct++;
        } else {
          distinct++;
        }
        if (probeTimes[i] < probeTimes[oldest]) {
          oldest = i;
        }
      }
      if (seen) {
        return false;
      }
      probePaths[oldest] = pathHash;
      probeTimes[oldest] = now;
      if (distinct + 1 >= threshold) {
        java.util.Arrays.fill(probeTimes, Long.MIN_VALUE);
        return true;
      }
      return false;
    }
  }
}
