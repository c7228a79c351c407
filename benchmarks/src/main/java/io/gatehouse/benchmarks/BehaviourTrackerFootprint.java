package io.gatehouse.benchmarks;

import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.reputation.BehaviourTracker;
import io.gatehouse.core.reputation.SharedAddresses;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained bytes per entry of the {@link BehaviourTracker} and of {@link SharedAddresses}, each filled to
 * its bound by a flood of distinct keys as a rotating attacker would send them: twice the bound, each
 * IPv6 address in its own /64, so that no two share an entry. The unit tests check that the counts stay
 * within the bound; what the bound costs in memory is a property of the object graph, so it is measured
 * here with JOL, as the structure filled less the same structure empty: the entries, their keys, the
 * cache's table and its frequency sketch. Kinds:
 * <ul>
 *   <li>{@code visitor}: a visitor that earned points, evidence kept from its address (a trusted proxy's);
 *   <li>{@code visitor+address}: a visitor and its address each with an entry, the common case of
 *       evidence; the figure is per entry, a pair costing twice;
 *   <li>{@code visitor+probes}: a visitor that also had a 404 noted with the default probing threshold
 *       of 20 paths, which gives its entry the path history;
 *   <li>{@code shared sketch}: an address seen with the default 8 distinct browser signatures, in the
 *       fixed table of 65,536 slots (the figure is per slot in use).
 * </ul>
 *
 * <p>Before measuring, it checks that nothing holds more than its bound, since the figure per entry of
 * an unbounded structure would mean nothing.
 *
 * <p>Run, after {@code mvn -B -q -o -pl core,benchmarks -am package -DskipTests}:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.BehaviourTrackerFootprint
 * </pre>
 *
 * <p>Last figures: see the README's Performance section (measured 2026-12-01 on a 2-core AMD EPYC VM,
 * 24 GiB, default heap, so compressed oops; JOL 0.17, Caffeine 3.2.3, OpenJDK 17.0.15).
 */
public final class BehaviourTrackerFootprint {

  private static final int[] BOUNDS = {50_000, 1_000_000};
  private static final Duration HALF_LIFE = Duration.ofHours(1);
  /** Bytes to spare, so that the count is the bound reached and the figure is per entry. */
  private static final long UNBOUNDED_BYTES = 4L << 30;
  /** The slots of {@link SharedAddresses}' table. */
  private static final int SHARED_SLOTS = 1 << 16;
  /** Time stands still, so that nothing expires while the structure fills. */
  private static final Ticker STILL = () -> 0L;

  private BehaviourTrackerFootprint() {}

  public static void main(String[] args) {
    // Caffeine's graph holds lambdas, whose fields JOL can only place this way; set before JOL starts.
    System.setProperty("jol.magicFieldOffset", "true");
    System.out.printf(Locale.ROOT, "%-10s %-16s %10s %10s %14s %10s %10s%n",
        "bound", "kind", "offered", "kept", "bytes", "B/entry", "obj/entry");
    for (int bound : BOUNDS) {
      report(bound, "visitor", b -> new BehaviourTracker(b, UNBOUNDED_BYTES, HALF_LIFE, STILL, Runnable::run),
          (t, i) -> t.add(address(i), i, 5, false), BehaviourTracker::cleanUp, BehaviourTracker::size);
      report(bound, "visitor+address", b -> new BehaviourTracker(b, UNBOUNDED_BYTES, HALF_LIFE, STILL, Runnable::run),
          (t, i) -> t.add(address(i), i, 5, true), BehaviourTracker::cleanUp, BehaviourTracker::size);
      report(bound, "visitor+probes", b -> new BehaviourTracker(b, UNBOUNDED_BYTES, HALF_LIFE, STILL, Runnable::run), (t, i) -> {
        t.add(address(i), i, 5, false);
        t.probed(i, "/wp-login.php", 20, Duration.ofMinutes(1));
      }, BehaviourTracker::cleanUp, BehaviourTracker::size);
      if (bound == BOUNDS[0]) {
        // A fixed table: filled once, whatever the bound.
        report(SHARED_SLOTS, "shared sketch", b -> new SharedAddresses(8, Duration.ofMinutes(10), STILL),
            (s, i) -> {
              for (int v = 0; v < 8; v++) {
                s.observe(address(i), v);
              }
            }, s -> { }, SharedAddresses::size);
      }
    }
  }

  private static IpAddress address(long i) {
    return IpAddress.ofV6(0x2001_0db8_0000_0000L | i, 1);
  }

  private static <T> void report(int bound, String kind, IntFunction<T> make, ObjLongConsumer<T> offer,
      Consumer<T> cleanUp, ToLongFunction<T> size) {
    T empty = make.apply(bound);
    T filled = make.apply(bound);
    long offered = 2L * bound;
    for (long i = 1; i <= offered; i++) {
      offer.accept(filled, i);
    }
    cleanUp.accept(filled);
    long kept = size.applyAsLong(filled);
    long limit = kind.equals("visitor+address") ? 2L * bound : bound;
    if (kept > limit || kept == 0) {
      throw new AssertionError(kind + ": " + kept + " entries kept with a bound of " + bound);
    }
    GraphLayout none = GraphLayout.parseInstance(empty);
    GraphLayout all = GraphLayout.parseInstance(filled);
    long bytes = all.totalSize() - none.totalSize();
    long objects = all.totalCount() - none.totalCount();
    System.out.printf(Locale.ROOT, "%-10d %-16s %10d %10d %14d %10.1f %10.2f%n",
        bound, kind, offered, kept, bytes, (double) bytes / kept, (double) objects / kept);
  }
}
