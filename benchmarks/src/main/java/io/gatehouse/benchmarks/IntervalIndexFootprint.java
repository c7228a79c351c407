package io.gatehouse.benchmarks;

import com.google.common.collect.RangeMap;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import io.gatehouse.core.net.IntervalIndex;
import java.util.Arrays;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained bytes per IPv4 range of IntervalIndex, Guava's TreeRangeMap and the IPAddress library's
 * associative trie, for the feeds of {@link IntervalIndexLookupBenchmark}. Retained size is a property of
 * the object graph, not of timing, so it is measured here with JOL rather than in JMH. What a structure
 * shares with the rest of the JVM is subtracted: the eight scores, which every entry of a real feed
 * points at too, and the IPAddress library's process-wide network object and segment caches, which
 * the trie's keys reach but would exist anyway.
 *
 * <p>Before measuring, it checks that the three structures give the same answer for every probe, since
 * comparing structures that disagree would be meaningless.
 *
 * <p>Run, after {@code mvn -B -q -o -pl benchmarks package -DskipTests}:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.IntervalIndexFootprint
 * </pre>
 *
 * <p>Last figures, 2026-11-25, on a 2-core AMD EPYC VM (24 GiB, default heap, so compressed oops), JOL
 * 0.17, Guava 33.8.0-jre, IPAddress 5.6.2, {@code java -version}:
 * <pre>
 * openjdk version "17.0.15" 2025-04-15
 * OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
 * OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
 * </pre>
 * Retained bytes per range, shared objects excluded (total bytes in brackets). About half of the probes
 * hit at every size, and all three structures agreed on each of them.
 * <pre>
 * retained, bytes/range        1,000 ranges        100,000 ranges        1,000,000 ranges
 * IntervalIndex               12.4 (12,424)      12.3 (1,232,888)       12.3 (12,257,872)
 * Guava TreeRangeMap         168.1 (168,080)    168.0 (16,800,080)     168.0 (168,000,080)
 * IPv4AddressAssociativeTrie 678.4 (678,424)    668.8 (66,875,400)     647.9 (647,893,512)
 * </pre>
 * IntervalIndex meets the design target of at most 24 bytes per IPv4 range: two {@code int}s and a
 * compressed reference, and a directory of a few hundred kilobytes at most for the fast lookup. TreeRangeMap pays seven objects per range (tree entry, map entry, range, two
 * cuts, two boxed bounds); the trie keeps a full {@code IPv4Address} object graph per key besides its
 * nodes.
 */
public final class IntervalIndexFootprint {

  private static final int[] SIZES = {1_000, 100_000, 1_000_000};
  private static final int PROBES = 1 << 16;
  private static final Object[] SHARED = shared();

  private IntervalIndexFootprint() {}

  private static Object[] shared() {
    Object[] roots = Arrays.copyOf(SyntheticFeed.SCORES, SyntheticFeed.SCORES.length + 1, Object[].class);
    roots[roots.length - 1] = IPv4Address.defaultIpv4Network();
    return roots;
  }

  public static void main(String[] args) {
    System.out.printf(Locale.ROOT, "%-10s %-16s %10s %14s %8s %12s%n",
        "ranges", "structure", "intervals", "bytes", "B/range", "objects");
    for (int size : SIZES) {
      SyntheticFeed feed = SyntheticFeed.of(size);
      IntervalIndex<Integer> index = Tables.gatehouse(feed.cidrs(), feed.values());
      RangeMap<Long, Integer> guava = Tables.guava(feed.firsts(), feed.lasts(), feed.values());
      IPv4AddressAssociativeTrie<Integer> trie = Tables.trie(feed.prefixBlocks(), feed.values());
      double hits = checkAgreement(feed, index, guava, trie);
      System.out.printf(Locale.ROOT, "# %d ranges: the three structures agree on %d probes, %.1f%% hits%n",
          size, PROBES, 100 * hits);
      report(size, "IntervalIndex", index.sizeV4(), index);
      report(size, "TreeRangeMap", guava.asMapOfRanges().size(), guava);
      report(size, "IPv4 trie", trie.size(), trie);
    }
  }

  private static double checkAgreement(SyntheticFeed feed, IntervalIndex<Integer> index,
      RangeMap<Long, Integer> guava, IPv4AddressAssociativeTrie<Integer> trie) {
    int hits = 0;
    for (int probe : feed.probes(PROBES)) {
      Integer ours = index.getV4(probe);
      Integer theirs = guava.get(probe & 0xffff_ffffL);
      Integer trie4 = Tables.lookup(trie, new IPv4Address(probe));
      if (ours != theirs || ours != trie4) {
        throw new AssertionError("disagreement at " + new IPv4Address(probe) + ": IntervalIndex " + ours
            + ", TreeRangeMap " + theirs + ", trie " + trie4);
      }
      hits += ours != null ? 1 : 0;
    }
    return (double) hits / PROBES;
  }

  private static void report(int size, String name, int intervals, Object structure) {
    // Shared objects are measured together with the structure, so that exactly the objects reachable
    // from the structure alone remain after the subtraction.
    GraphLayout shared = GraphLayout.parseInstance(SHARED);
    GraphLayout all = GraphLayout.parseInstance(with(structure));
    long bytes = all.totalSize() - shared.totalSize();
    long objects = all.totalCount() - shared.totalCount();
    System.out.printf(Locale.ROOT, "%-10d %-16s %10d %14d %8.1f %12d%n",
        size, name, intervals, bytes, (double) bytes / size, objects);
  }

  private static Object[] with(Object structure) {
    Object[] roots = Arrays.copyOf(SHARED, SHARED.length + 1);
    roots[SHARED.length] = structure;
    return roots;
  }
}
