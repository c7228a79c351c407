package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The index against a naive reference: scan every entry, keep the greatest, first added on ties. */
class IntervalIndexProperties {

  record Entry(IpAddress first, IpAddress last, int priority, int seq) {}

  private static Integer naive(List<Entry> entries, IpAddress probe) {
    Entry best = null;
    for (Entry e : entries) {
      boolean inside = e.first.isV4() == probe.isV4() && e.first.compareTo(probe) <= 0 && probe.compareTo(e.last) <= 0;
      if (inside && (best == null || e.priority > best.priority)) {
        best = e;
      }
    }
    return best == null ? null : best.priority * 1000 + best.seq;
  }

  private static IntervalIndex<Integer> build(List<Entry> entries) {
    // Value = priority * 1000 + seq; precedence compares the priority only, so ties go to the first added.
    IntervalIndex.Builder<Integer> b = IntervalIndex.builder(Comparator.comparingInt(v -> v / 1000));
    for (Entry e : entries) {
      b.add(e.first, e.last, e.priority * 1000 + e.seq);
    }
    return b.build();
  }

  @Property(tries = 300)
  void ipv4LookupsMatchTheNaiveScan(@ForAll @Size(max = 40) List<@From("v4Entries") Entry> raw,
      @ForAll @Size(min = 1, max = 50) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 4095) Integer> probes) {
    List<Entry> entries = numbered(raw);
    IntervalIndex<Integer> index = build(entries);
    for (int p : probes) {
      // Small address space (a /20 near the top of the range) so that entries overlap often.
      IpAddress probe = IpAddress.ofV4(0xfffff000 | p);
      assertThat(index.get(probe)).as("probe %s", probe).isEqualTo(naive(entries, probe));
    }
    for (Entry e : entries) {
      for (IpAddress probe : List.of(e.first, e.last)) {
        assertThat(index.get(probe)).as("bound %s", probe).isEqualTo(naive(entries, probe));
      }
    }
  }

  @Property(tries = 300)
  void ipv6LookupsMatchTheNaiveScan(@ForAll @Size(max = 40) List<@From("v6Entries") Entry> raw,
      @ForAll @Size(min = 1, max = 50) List<@From("v6Probes") IpAddress> probes) {
    List<Entry> entries = numbered(raw);
    IntervalIndex<Integer> index = build(entries);
    for (IpAddress probe : probes) {
      assertThat(index.get(probe)).as("probe %s", probe).isEqualTo(naive(entries, probe));
    }
    for (Entry e : entries) {
      for (IpAddress probe : List.of(e.first, e.last)) {
        assertThat(index.get(probe)).as("bound %s", probe).isEqualTo(naive(entries, probe));
      }
    }
  }

  @Property(tries = 300)
  void mergingCombinesEveryCoveringEntryInTheOrderAdded(@ForAll @Size(max = 30) List<@From("v4Entries") Entry> raw,
      @ForAll @Size(min = 1, max = 50) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 4095) Integer> probes) {
    List<Entry> entries = numbered(raw);
    IntervalIndex.Builder<String> b = IntervalIndex.merging((x, y) -> x + "," + y);
    for (Entry e : entries) {
      b.add(e.first, e.last, "e" + e.seq);
    }
    IntervalIndex<String> index = b.build();
    for (int p : probes) {
      IpAddress probe = IpAddress.ofV4(0xfffff000 | p);
      String expected = entries.stream()
          .filter(e -> e.first.compareTo(probe) <= 0 && probe.compareTo(e.last) <= 0)
          .map(e -> "e" + e.seq).reduce((x, y) -> x + "," + y).orElse(null);
      assertThat(index.get(probe)).as("probe %s", probe).isEqualTo(expected);
    }
  }

  private static List<Entry> numbered(List<Entry> raw) {
    java.util.ArrayList<Entry> out = new java.util.ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Entry e = raw.get(i);
      out.add(new Entry(e.first, e.last, e.priority, i));
    }
    return out;
  }

  @Provide
  Arbitrary<Entry> v4Entries() {
    Arbitrary<Integer> offset = Arbitraries.integers().between(0, 4095);
    return Combinators.combine(offset, offset, Arbitraries.integers().between(0, 5)).as((a, b, prio) -> {
      int lo = Math.min(a, b);
      int hi = Math.max(a, b);
      return new Entry(IpAddress.ofV4(0xfffff000 | lo), IpAddress.ofV4(0xfffff000 | hi), prio, 0);
    });
  }

  @Provide
  Arbitrary<Entry> v6Entries() {
    // Bounds straddle the 64-bit word boundary so carries between hi and lo are exercised.
    Arbitrary<Long> offset = Arbitraries.longs().between(-2048, 2047);
    return Combinators.combine(offset, offset, Arbitraries.integers().between(0, 5)).as((a, b, prio) -> {
      long lo = Math.min(a, b);
      long hi = Math.max(a, b);
      return new Entry(v6(lo), v6(hi), prio, 0);
    });
  }

  @Provide
  Arbitrary<IpAddress> v6Probes() {
    return Arbitraries.longs().between(-2100, 2100).map(IntervalIndexProperties::v6);
  }

  /** The address 2001:db8:0:1:: plus a signed offset, crossing from ...:0:ffff.. into ...:1:0.. at zero. */
  private static IpAddress v6(long offset) {
    long baseHi = 0x2001_0db8_0000_0001L;
    return offset < 0 ? IpAddress.ofV6(baseHi - 1, offset) : IpAddress.ofV6(baseHi, offset);
  }
}
