package io.gatehouse.benchmarks;

import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.reputation.BehaviourTracker;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained bytes per tracked address of the {@link BehaviourTracker}, filled to its bound by a flood of
 * distinct addresses as a rotating attacker would send them: twice the bound, each IPv6 address in its
 * own /64, so that no two share an entry. The unit tests check that the count stays within the bound;
 * what the bound costs in memory is a property of the object graph, so it is measured here with JOL, as
 * the tracker filled less the same tracker empty: the entries, their keys, the cache's table and its
 * frequency sketch. Two kinds of address are offered: one that only earned points (a mitigation), and
 * one that also had a 404 noted with the default probing threshold of 20 paths, which gives its entry
 * the path history.
 *
 * <p>Before measuring, it checks that the tracker holds no more than its bound, since the figure per
 * address of an unbounded tracker would mean nothing.
 *
 * <p>Run, after {@code mvn -B -q -o -pl core,benchmarks -am package -DskipTests}:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.BehaviourTrackerFootprint
 * </pre>
 *
 * <p>Last figures, 2026-12-01, on a 2-core AMD EPYC VM (24 GiB, default heap, so compressed oops), JOL
 * 0.17, Caffeine 3.2.3, {@code java -version}:
 * <pre>
 * openjdk version "17.0.15" 2025-04-15
 * OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
 * OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
 * </pre>
 * Retained bytes per tracked address, the empty tracker excluded (total bytes in brackets); every run
 * kept exactly the bound.
 * <pre>
 * retained, bytes/address    bound 50,000        bound 1,000,000
 * points                     173.0 (8,648,984)   168.8 (168,777,624)
 * points and probes          445.0 (22,248,984)  440.8 (440,777,624)
 * </pre>
 * An address with points is four objects: its key (the /64), the entry, the cache's node and the hash
 * table's node, plus its share of the table and the frequency sketch. Noting a probe adds the path
 * history, an {@code int[20]} and a {@code long[20]} (272 bytes), which more than doubles the entry: at
 * the default bound of 1,000,000 addresses the tracker holds about 170 MB, and about 440 MB if every
 * address has probed.
 */
public final class BehaviourTrackerFootprint {

  private static final int[] BOUNDS = {50_000, 1_000_000};
  private static final Duration HALF_LIFE = Duration.ofHours(1);
  /** Time stands still, so that nothing expires while the tracker fills. */
  private static final Ticker STILL = () -> 0L;

  private BehaviourTrackerFootprint() {}

  public static void main(String[] args) {
    // Caffeine's graph holds lambdas, whose fields JOL can only place this way; set before JOL starts.
    System.setProperty("jol.magicFieldOffset", "true");
    System.out.printf(Locale.ROOT, "%-10s %-14s %10s %10s %14s %10s %10s%n",
        "bound", "kind", "offered", "kept", "bytes", "B/address", "obj/addr");
    for (int bound : BOUNDS) {
      report(bound, "points", (tracker, ip) -> tracker.add(ip, 5));
      report(bound, "points+probes", (tracker, ip) -> {
        tracker.add(ip, 5);
        tracker.probed(ip, "/wp-login.php", 20, Duration.ofMinutes(1));
      });
    }
  }

  private static void report(int bound, String kind, BiConsumer<BehaviourTracker, IpAddress> offer) {
    BehaviourTracker empty = new BehaviourTracker(bound, HALF_LIFE, STILL, Runnable::run);
    BehaviourTracker filled = new BehaviourTracker(bound, HALF_LIFE, STILL, Runnable::run);
    long offered = 2L * bound;
    for (long i = 0; i < offered; i++) {
      offer.accept(filled, IpAddress.ofV6(0x2001_0db8_0000_0000L | i, 1));
    }
    filled.cleanUp();
    long kept = filled.size();
    if (kept > bound || kept == 0) {
      throw new AssertionError(kind + ": " + kept + " addresses kept with a bound of " + bound);
    }
    GraphLayout none = GraphLayout.parseInstance(empty);
    GraphLayout all = GraphLayout.parseInstance(filled);
    long bytes = all.totalSize() - none.totalSize();
    long objects = all.totalCount() - none.totalCount();
    System.out.printf(Locale.ROOT, "%-10d %-14s %10d %10d %14d %10.1f %10.2f%n",
        bound, kind, offered, kept, bytes, (double) bytes / kept, (double) objects / kept);
  }
}
