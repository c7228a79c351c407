package io.gatehouse.core.reputation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.Weigher;
import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What visitors have been doing, and what that says about their addresses: points earned by evidence (a
 * rule match, an integrity-check failure, probing, a failed challenge), decaying with a half-life.
 *
 * <h2>Visitors, not addresses</h2>
 * Evidence belongs to the visitor who earned it, identified by a 64-bit id (its clearance's visitor id,
 * or its address and browser signature before it has one): {@link #visitorPoints} counts it fully. An
 * address is scored only from evidence spread over several distinct visitors: {@link #addressPoints} is
 * zero until at least {@value #MIN_VISITORS} visitors have added evidence from it, and even then leaves
 * out the visitor with the most, so that one infected device behind an office, campus or carrier-grade
 * NAT address can never speak for everyone behind it. An IPv4 address is tracked alone, an IPv6 address
 * by its /64 (a host usually owns a whole /64).
 *
 * <h2>Memory</h2>
 * At most {@code maxTracked} visitors and as many addresses are kept, and at most {@code maxBytes} of heap
 * for both together, half each (Caffeine, weighted by each entry's bytes, with frequency-aware eviction),
 * so a flood of rotating addresses or browser signatures evicts the least valuable entries instead of
 * exhausting memory. A visitor entry is a point total, a time and, only for visitors that had 403s or 404s
 * noted, the hashes and times of their last {@code probe-paths} paths; an address entry holds the
 * contributions of at most {@value #SLOTS} visitors. An entry weighs what it costs on the heap with its
 * key and its share of the cache ({@value #VISITOR_BYTES} bytes a visitor, 12 more a path its probe
 * history remembers, and {@value #ADDRESS_BYTES} an address, a little above what
 * {@code BehaviourTrackerFootprint} in the benchmarks measures), and never less than the byte budget over
 * {@code maxTracked}, which is how one weight keeps both bounds. An entry not written for twelve
 * half-lives (when its points have decayed below 1/4096) is dropped.
 *
 * <p>Thread-safe.
 */
public final class BehaviourTracker {

  /** How many distinct visitors must have added evidence from an address before the address is scored. */
  public static final int MIN_VISITORS = 3;
  /** The visitors whose contributions an address entry keeps. */
  static final int SLOTS = 4;
  /** The longs of each presence filter: 65,536 bits, 8 KiB. */
  private static final int FILTER_WORDS = 1 << 10;
  /** Points below this have decayed to nothing. */
  private static final double NOTHING = 0.5;
  /** A visitor entry on the heap: its node in the cache, the boxed key, the entry, a share of the table. */
  static final int VISITOR_BYTES = 176;
  /** An address entry on the heap: node, key, the entry and its two arrays, a share of the table. */
  static final int ADDRESS_BYTES = 272;

  private final Cache<Long, VisitorEntry> visitors;
  private final Cache<IpAddress, AddressEntry> addresses;
  // Which visitors and addresses ever had evidence, by a hash of their key: most requests come from
  // neither, and are answered without a cache lookup (or a boxed key). A bit is never cleared, so a
  // flood of evidence only saturates the filter back into plain lookups.
  private final AtomicLongArray visitorBits = new AtomicLongArray(FILTER_WORDS);
  private final AtomicLongArray addressBits = new AtomicLongArray(FILTER_WORDS);
  private volatile boolean clearanceEvidence;
  private final Ticker ticker;
  private volatile long halfLifeNanos;
  // The least an entry weighs: the budget of a cache over the count, so that the weight bounds both.
  private volatile int leastWeight;

  /**
   * @param maxTracked how many visitors, and how many addresses, are kept at most
   * @param maxBytes how much heap the visitors and the addresses may take together, half each
   * @param halfLife how fast points decay
   * @param ticker the time source, in nanoseconds (tests advance it instead of sleeping)
   * @param executor where eviction work runs ({@code Runnable::run} to run it on the caller)
   */
  public BehaviourTracker(int maxTracked, long maxBytes, Duration halfLife, Ticker ticker, Executor executor) {
    this.halfLifeNanos = halfLife.toNanos();
    this.ticker = ticker;
    this.leastWeight = leastWeight(maxTracked, maxBytes);
    this.visitors = cache(maxBytes / 2, (Long k, VisitorEntry v) -> Math.max(leastWeight, v.bytes()), ticker,
        executor);
    this.addresses = cache(maxBytes / 2, (IpAddress k, AddressEntry a) -> Math.max(leastWeight, ADDRESS_BYTES),
        ticker, executor);
  }

  private static int leastWeight(int maxTracked, long maxBytes) {
    if (maxTracked < 1) {
      throw new IllegalArgumentException("maxTracked must be at least 1, not " + maxTracked);
    }
    if (maxBytes < 2) {
      throw new IllegalArgumentException("maxBytes must be at least 2, not " + maxBytes);
    }
    long perCache = maxBytes / 2;
    return (int) Math.min(Integer.MAX_VALUE, (perCache + maxTracked - 1) / maxTracked);
  }

  private <K, V> Cache<K, V> cache(long maxWeight, Weigher<K, V> weigher, Ticker ticker, Executor executor) {
    return Caffeine.newBuilder()
        .maximumWeight(maxWeight)
        .weigher(weigher)
        .expireAfter(new Expiry<K, V>() {
          @Override
          public long expireAfterCreate(K key, V value, long currentTime) {
            return 12 * halfLifeNanos;
          }

          @Override
          public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
            return 12 * halfLifeNanos;
          }

          @Override
          public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .ticker(ticker)
        .executor(executor)
        .build();
  }

  /**
   * Applies a reloaded configuration: the bounds and the half-life. Entries written before keep the
   * weight they had until they are written again, so a changed {@code maxTracked} takes full effect as
   * entries come and go.
   */
  public void configure(int maxTracked, long maxBytes, Duration halfLife) {
    this.leastWeight = leastWeight(maxTracked, maxBytes);
    this.halfLifeNanos = halfLife.toNanos();
    visitors.policy().eviction().ifPresent(e -> e.setMaximum(maxBytes / 2));
    addresses.policy().eviction().ifPresent(e -> e.setMaximum(maxBytes / 2));
  }

  /**
   * The key an address is tracked under: the IPv4 address itself (so reading an IPv4 address's points
   * allocates nothing), or the IPv6 /64.
   */
  static IpAddress key(IpAddress ip) {
    return ip.isV4() || ip.lo() == 0 ? ip : ip.mask(64);
  }

  /** Whether any visitor's evidence is kept (an estimate, cheap to ask). */
  public boolean tracksVisitors() {
    return visitors.estimatedSize() != 0;
  }

  /** Whether {@code visitor} may have evidence: false means it certainly has none. No lookup. */
  public boolean mayHaveEvidence(long visitor) {
    return marked(visitorBits, visitor);
  }

  /** Whether evidence was ever kept against a visitor known by its clearance (not only by its signature). */
  public boolean hasClearanceEvidence() {
    return clearanceEvidence;
  }

  /** Notes that evidence was kept against a visitor known by its clearance. */
  public void noteClearanceEvidence() {
    clearanceEvidence = true;
  }

  private static int bit(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 48);
  }

  private static boolean marked(AtomicLongArray bits, long key) {
    int b = bit(key);
    return (bits.get(b >>> 6) & (1L << b)) != 0;
  }

  private static void mark(AtomicLongArray bits, long key) {
    int b = bit(key);
    long m = 1L << b;
    if ((bits.get(b >>> 6) & m) == 0) {
      bits.getAndAccumulate(b >>> 6, m, (x, y) -> x | y);
    }
  }

  /** The visitor's own points now, after decay. */
  public double visitorPoints(long visitor) {
    if (!marked(visitorBits, visitor)) {
      return 0;
    }
    VisitorEntry e = visitors.getIfPresent(visitor);
    return e == null ? 0 : e.points(ticker.read(), halfLifeNanos);
  }

  /**
   * The address's points now: the evidence of the visitors behind it, leaving out the one with the most,
   * and nothing until {@value #MIN_VISITORS} distinct visitors have added some.
   */
  public double addressPoints(IpAddress ip) {
    if (ip == null) {
      return 0;
    }
    if (!marked(addressBits, ip.hostKey())) {
      return 0;
    }
    AddressEntry e = addresses.getIfPresent(key(ip));
    return e == null ? 0 : e.points(ticker.read(), halfLifeNanos);
  }

  /** How many distinct visitors have evidence from the address now, up to {@value #SLOTS}. */
  public int addressVisitors(IpAddress ip) {
    if (ip == null) {
      return 0;
    }
    AddressEntry e = addresses.getIfPresent(key(ip));
    return e == null ? 0 : e.contributors(ticker.read(), halfLifeNanos);
  }

  /**
   * Adds evidence against a visitor.
   *
   * @param ip the address it came from, or {@code null}
   * @param alsoAddress whether it also counts towards the address's score; {@code false} for an address
   *     that must never be scored as a whole, such as a trusted proxy's own
   */
  public void add(IpAddress ip, long visitor, double points, boolean alsoAddress) {
    if (points <= 0) {
      return;
    }
    long now = ticker.read();
    mark(visitorBits, visitor);
    VisitorEntry v = visitors.get(visitor, k -> new VisitorEntry());
    v.add(points, now, halfLifeNanos);
    // Written again so the entry's expiry restarts from now.
    visitors.put(visitor, v);
    if (ip != null && alsoAddress) {
      mark(addressBits, ip.hostKey());
      AddressEntry a = addresses.get(key(ip), k -> new AddressEntry());
      a.add(visitor, points, now, halfLifeNanos);
      addresses.put(key(ip), a);
    }
  }

  /**
   * Notes a 403 or 404 the application gave a visitor, and returns whether it has now answered as many
   * distinct paths within {@code window} as {@code threshold}: the pattern of a scanner walking a list of
   * paths, not of a visitor who mistyped one.
   */
  public boolean probed(long visitor, String path, int threshold, Duration window) {
    VisitorEntry e = visitors.get(visitor, k -> new VisitorEntry());
    int before = e.bytes();
    boolean probing = e.probe(path.hashCode(), ticker.read(), threshold, window.toNanos());
    if (e.bytes() != before) {
      // Written again so that the cache weighs the history the entry has grown.
      visitors.put(visitor, e);
    }
    return probing;
  }

  /** The weight the caches hold now, an estimate of their bytes: visitors' and addresses' together. */
  public long bytes() {
    long w = 0;
    for (Cache<?, ?> c : List.of(visitors, addresses)) {
      w += c.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }
    return w;
  }

  /** Visitors and addresses tracked now (an estimate, as the caches count). */
  public long size() {
    return visitors.estimatedSize() + addresses.estimatedSize();
  }

  /** Runs pending eviction now (for tests and status). */
  public void cleanUp() {
    visitors.cleanUp();
    addresses.cleanUp();
  }

  private static double decay(double points, long elapsed, long halfLifeNanos) {
    return points == 0 ? 0 : points * Math.pow(0.5, (double) Math.max(0, elapsed) / halfLifeNanos);
  }

  /** One visitor's points and recent probes. Guarded by its own monitor. */
  static final class VisitorEntry {
    private double points;
    private long stamp;
    private int[] probePaths;
    private long[] probeTimes;

    /** What the entry costs on the heap, with its share of the cache. */
    synchronized int bytes() {
      if (probePaths == null) {
        return VISITOR_BYTES;
      }
      // Two arrays, each a 16-byte header and its elements, aligned to 8 bytes.
      int n = probePaths.length;
      return VISITOR_BYTES + ((16 + 4 * n + 7) & ~7) + 16 + 8 * n;
    }

    synchronized double points(long now, long halfLifeNanos) {
      return decay(points, now - stamp, halfLifeNanos);
    }

    synchronized void add(double more, long now, long halfLifeNanos) {
      points = Math.min(1_000, decay(points, now - stamp, halfLifeNanos) + more);
      stamp = now;
    }

    synchronized boolean probe(int pathHash, long now, int threshold, long windowNanos) {
      if (probePaths == null || probePaths.length != threshold) {
        probePaths = new int[threshold];
        probeTimes = new long[threshold];
        Arrays.fill(probeTimes, Long.MIN_VALUE);
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
        Arrays.fill(probeTimes, Long.MIN_VALUE);
        return true;
      }
      return false;
    }
  }

  /**
   * The evidence that came from one address, per visitor: at most {@value #SLOTS} visitors, all decayed
   * together from one time. A new visitor takes the slot of the one with the least. Guarded by its own
   * monitor.
   */
  static final class AddressEntry {
    private final long[] visitor = new long[SLOTS];
    private final double[] points = new double[SLOTS];
    private long stamp;

    private void decayTo(long now, long halfLifeNanos) {
      for (int i = 0; i < SLOTS; i++) {
        points[i] = decay(points[i], now - stamp, halfLifeNanos);
      }
      stamp = now;
    }

    synchronized void add(long who, double more, long now, long halfLifeNanos) {
      decayTo(now, halfLifeNanos);
      int slot = 0;
      for (int i = 0; i < SLOTS; i++) {
        if (points[i] >= NOTHING && visitor[i] == who) {
          slot = i;
          break;
        }
        if (points[i] < points[slot]) {
          slot = i;
        }
      }
      if (visitor[slot] != who || points[slot] < NOTHING) {
        visitor[slot] = who;
        points[slot] = 0;
      }
      points[slot] = Math.min(1_000, points[slot] + more);
    }

    synchronized int contributors(long now, long halfLifeNanos) {
      int n = 0;
      for (int i = 0; i < SLOTS; i++) {
        if (decay(points[i], now - stamp, halfLifeNanos) >= NOTHING) {
          n++;
        }
      }
      return n;
    }

    synchronized double points(long now, long halfLifeNanos) {
      int n = 0;
      double sum = 0;
      double most = 0;
      for (int i = 0; i < SLOTS; i++) {
        double p = decay(points[i], now - stamp, halfLifeNanos);
        if (p >= NOTHING) {
          n++;
          sum += p;
          most = Math.max(most, p);
        }
      }
      return n < MIN_VISITORS ? 0 : sum - most;
    }
  }
}
