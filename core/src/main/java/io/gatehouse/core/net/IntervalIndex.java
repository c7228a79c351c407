package io.gatehouse.core.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.BinaryOperator;

/**
 * An immutable table from address intervals to values: the structure behind access rules, IP lists,
 * reputation feeds and ASN data. Lookup is a binary search; nothing is scanned.
 *
 * <h2>Layout and costs</h2>
 * IPv4 and IPv6 live in separate tables of disjoint, sorted intervals. IPv4 bounds are {@code int}s in
 * two parallel arrays ({@code starts4}, {@code ends4}) and IPv6 bounds are pairs of {@code long}s
 * ({@code starts6[2i], starts6[2i+1]}); both are stored with the sign bit flipped so that signed
 * comparison orders them as unsigned addresses without a branch. Values sit in a parallel
 * {@code Object[]}. An IPv4 interval therefore costs 12 bytes (two ints and a compressed reference)
 * plus its value, which is usually shared; an IPv6 interval 36 bytes. An IPv4 lookup first reads a small
 * directory indexed by the address's top bits ({@code dir4}, up to 2^16 ints, under a byte per interval)
 * that narrows the search to the intervals starting in that slice of the address space, then finishes
 * with a branch-free binary search (the compare feeds a conditional move, so no step is a mispredicted
 * branch). A lookup allocates nothing.
 *
 * <h2>Overlaps</h2>
 * Entries may overlap freely. The builder cuts them into disjoint pieces and gives each piece the value
 * of the covering entry with the highest precedence under the builder's comparator; on equal precedence
 * the entry added first wins. A {@linkplain #merging merging} builder instead combines the values of all
 * covering entries, in the order they were added. Adjacent pieces with equal values are merged.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <V> the value type
 */
public final class IntervalIndex<V> {

  private static final int SIGN32 = 0x8000_0000;
  private static final long SIGN64 = 0x8000_0000_0000_0000L;
  private static final IntervalIndex<Object> EMPTY =
      new IntervalIndex<>(new int[0], new int[0], new Object[0], new long[0], new long[0], new Object[0]);

  private final int[] starts4;
  private final int[] ends4;
  private final Object[] values4;
  // dir4[b] = the first interval whose start lies in slice b or later; slices are 2^(32 - dirBits4) wide.
  private final int[] dir4;
  private final int dirShift4;
  private final long[] starts6;
  private final long[] ends6;
  private final Object[] values6;

  private IntervalIndex(int[] starts4, int[] ends4, Object[] values4, long[] starts6, long[] ends6, Object[] values6) {
    this.starts4 = starts4;
    this.ends4 = ends4;
    this.values4 = values4;
    int n = starts4.length;
    // About eight intervals per slice: enough to make the directory small, few enough to search fast.
    int bits = n < 16 ? 0 : Math.min(16, 31 - Integer.numberOfLeadingZeros(n) - 3);
    this.dirShift4 = 32 - bits;
    this.dir4 = new int[(1 << bits) + 1];
    int i = 0;
    for (int b = 0; b <= (1 << bits); b++) {
      long sliceStart = (long) b << dirShift4;
      while (i < n && ((starts4[i] ^ SIGN32) & 0xffff_ffffL) < sliceStart) {
        i++;
      }
      dir4[b] = i;
    }
    this.starts6 = starts6;
    this.ends6 = ends6;
    this.values6 = values6;
  }

  /** An index with no intervals. */
  @SuppressWarnings("unchecked")
  public static <V> IntervalIndex<V> empty() {
    return (IntervalIndex<V>) EMPTY;
  }

  /**
   * A builder whose overlaps are settled by {@code precedence}: where entries overlap, the greatest under
   * the comparator wins, and the first added wins among equals.
   */
  public static <V> Builder<V> builder(Comparator<? super V> precedence) {
    return new Builder<>(Objects.requireNonNull(precedence, "precedence"));
  }

  /** A builder whose overlaps go to the entry added first. */
  public static <V> Builder<V> builder() {
    return new Builder<>((a, b) -> 0);
  }

  /**
   * A builder whose overlapping entries are combined: a piece covered by entries with values a, b, c
   * (added in that order) gets {@code combine(combine(a, b), c)}. Used where every source must be kept,
   * such as the reputation feeds that list one address.
   */
  public static <V> Builder<V> merging(BinaryOperator<V> combine) {
    return new Builder<>(null, Objects.requireNonNull(combine, "combine"));
  }

  /** The value of the interval holding {@code address}, or {@code null}. */
  public V get(IpAddress address) {
    return address.isV4() ? getV4((int) address.lo()) : getV6(address.hi(), address.lo());
  }

  /** The value of the interval holding the IPv4 address with these bits, or {@code null}. */
  @SuppressWarnings("unchecked")
  public V getV4(int address) {
    int slice = dirShift4 == 32 ? 0 : address >>> dirShift4;
    // Candidates: the intervals starting in this slice, and the last one before it (which may reach in).
    int base = Math.max(0, dir4[slice] - 1);
    int len = dir4[slice + 1] - base;
    if (len <= 0) {
      return null;
    }
    int key = address ^ SIGN32;
    int[] starts = starts4;
    while (len > 1) {
      int half = len >>> 1;
      base = starts[base + half] <= key ? base + half : base;
      len -= half;
    }
    return starts[base] <= key && ends4[base] >= key ? (V) values4[base] : null;
  }

  /** The value of the interval holding the IPv6 address with these bits, or {@code null}. */
  @SuppressWarnings("unchecked")
  public V getV6(long hi, long lo) {
    long kh = hi ^ SIGN64;
    long kl = lo ^ SIGN64;
    long[] starts = starts6;
    int len = starts.length >>> 1;
    if (len == 0) {
      return null;
    }
    int base = 0;
    while (len > 1) {
      int half = len >>> 1;
      int m = base + half;
      long sh = starts[2 * m];
      base = sh < kh || (sh == kh && starts[2 * m + 1] <= kl) ? m : base;
      len -= half;
    }
    long sh = starts[2 * base];
    if (sh > kh || (sh == kh && starts[2 * base + 1] > kl)) {
      return null;
    }
    long eh = ends6[2 * base];
    boolean inside = eh > kh || (eh == kh && ends6[2 * base + 1] >= kl);
    return inside ? (V) values6[base] : null;
  }

  /** Whether no interval holds any address. */
  public boolean isEmpty() {
    return values4.length == 0 && values6.length == 0;
  }

  /** The number of disjoint IPv4 intervals after merging. */
  public int sizeV4() {
    return values4.length;
  }

  /** The number of disjoint IPv6 intervals after merging. */
  public int sizeV6() {
    return values6.length;
  }

  /** Calls {@code visitor} for every interval, IPv4 first, in address order. */
  @SuppressWarnings("unchecked")
  public void forEach(Visitor<? super V> visitor) {
    for (int i = 0; i < values4.length; i++) {
      visitor.visit(IpAddress.ofV4(starts4[i] ^ SIGN32), IpAddress.ofV4(ends4[i] ^ SIGN32), (V) values4[i]);
    }
    for (int i = 0; i < values6.length; i++) {
      visitor.visit(IpAddress.rawV6(starts6[2 * i] ^ SIGN64, starts6[2 * i + 1] ^ SIGN64),
          IpAddress.rawV6(ends6[2 * i] ^ SIGN64, ends6[2 * i + 1] ^ SIGN64), (V) values6[i]);
    }
  }

  /** Receives the intervals of an index. */
  @FunctionalInterface
  public interface Visitor<V> {
    void visit(IpAddress first, IpAddress last, V value);
  }

  /**
   * Collects possibly overlapping entries and builds the index. Not thread-safe; a builder can build
   * once.
   */
  public static final class Builder<V> {

    private final Comparator<? super V> precedence;
    private final BinaryOperator<V> combine;
    // IPv4 entries in primitive arrays: (first << 32 | last), unsigned, and the value; a million-range
    // feed then costs no object per entry while it is built.
    private long[] v4Bounds = new long[16];
    private Object[] v4Values = new Object[16];
    private int v4Count;
    private final List<Entry<V>> v6 = new ArrayList<>();
    private int sequence;

    private Builder(Comparator<? super V> precedence) {
      this(precedence, null);
    }

    private Builder(Comparator<? super V> precedence, BinaryOperator<V> combine) {
      this.precedence = precedence;
      this.combine = combine;
    }

    /** Adds every address of {@code network}. */
    public Builder<V> add(Cidr network, V value) {
      if (network.isV4()) {
        long first = network.first().lo();
        long hostBits = network.prefixLength() == 0 ? 0xffff_ffffL : (1L << (32 - network.prefixLength())) - 1;
        return addRange(true, 0, first, 0, first | hostBits, value);
      }
      IpAddress last = network.last();
      return addRange(false, network.first().hi(), network.first().lo(), last.hi(), last.lo(), value);
    }

    /** Adds the addresses from {@code first} to {@code last}, both included, of one family. */
    public Builder<V> add(IpAddress first, IpAddress last, V value) {
      if (first.isV4() != last.isV4()) {
        throw new IllegalArgumentException("range " + first + " - " + last + " mixes IPv4 and IPv6");
      }
      if (first.compareTo(last) > 0) {
        throw new IllegalArgumentException("range " + first + " - " + last + " ends before it starts");
      }
      return addRange(first.isV4(), first.hi(), first.lo(), last.hi(), last.lo(), value);
    }

    /** Adds the IPv4 addresses from {@code first} to {@code last} (unsigned, both included). */
    public Builder<V> addV4(int first, int last, V value) {
      if (Integer.compareUnsigned(first, last) > 0) {
        throw new IllegalArgumentException("range ends before it starts");
      }
      return addRange(true, 0, first & 0xffff_ffffL, 0, last & 0xffff_ffffL, value);
    }

    private Builder<V> addRange(boolean isV4, long firstHi, long firstLo, long lastHi, long lastLo, V value) {
      Objects.requireNonNull(value, "value");
      if (isV4) {
        if (v4Count == v4Bounds.length) {
          v4Bounds = Arrays.copyOf(v4Bounds, v4Count * 2);
          v4Values = Arrays.copyOf(v4Values, v4Count * 2);
        }
        v4Bounds[v4Count] = firstLo << 32 | lastLo;
        v4Values[v4Count++] = value;
        sequence++;
      } else {
        v6.add(new Entry<>(firstHi, firstLo, lastHi, lastLo, value, sequence++));
      }
      return this;
    }

    /** The number of entries added so far. */
    public int entryCount() {
      return sequence;
    }

    public IntervalIndex<V> build() {
      int[] starts4;
      int[] ends4;
      Object[] values4;
      long[] order = sortedV4();
      if (isDisjointV4(order)) {
        // The common case for feeds: no overlaps, so no cutting; write the arrays straight away.
        Pieces4 p = new Pieces4(v4Count);
        for (long k : order) {
          int i = (int) k;
          long b = v4Bounds[i];
          p.emit((int) (b >>> 32), (int) b, v4Values[i]);
        }
        starts4 = Arrays.copyOf(p.starts, p.n);
        ends4 = Arrays.copyOf(p.ends, p.n);
        values4 = Arrays.copyOf(p.values, p.n);
      } else {
        List<Entry<V>> entries = new ArrayList<>(v4Count);
        for (int i = 0; i < v4Count; i++) {
          long b = v4Bounds[i];
          @SuppressWarnings("unchecked")
          V value = (V) v4Values[i];
          entries.add(new Entry<>(0, b >>> 32, 0, b & 0xffff_ffffL, value, i));
        }
        Pieces p4 = cut(entries, 0xffff_ffffL);
        int n4 = p4.values.size();
        starts4 = new int[n4];
        ends4 = new int[n4];
        for (int i = 0; i < n4; i++) {
          starts4[i] = (int) p4.bounds[4 * i + 1] ^ SIGN32;
          ends4[i] = (int) p4.bounds[4 * i + 3] ^ SIGN32;
        }
        values4 = p4.values.toArray();
      }
      Pieces p6 = cut(v6, -1L);
      int n6 = p6.values.size();
      long[] starts6 = new long[2 * n6];
      long[] ends6 = new long[2 * n6];
      for (int i = 0; i < n6; i++) {
        starts6[2 * i] = p6.bounds[4 * i] ^ SIGN64;
        starts6[2 * i + 1] = p6.bounds[4 * i + 1] ^ SIGN64;
        ends6[2 * i] = p6.bounds[4 * i + 2] ^ SIGN64;
        ends6[2 * i + 1] = p6.bounds[4 * i + 3] ^ SIGN64;
      }
      return new IntervalIndex<>(starts4, ends4, values4, starts6, ends6, p6.values.toArray());
    }

    /**
     * The indexes of the IPv4 entries in start order (insertion order among equal starts). They are sorted
     * as keys holding the start in the high 32 bits and the index in the low, with the sign flipped so
     * that signed order is unsigned order: sorting primitives keeps a million-entry build quick and free
     * of garbage.
     */
    private long[] sortedV4() {
      long[] keys = new long[v4Count];
      for (int i = 0; i < v4Count; i++) {
        keys[i] = ((v4Bounds[i] >>> 32) << 32 | i) ^ Long.MIN_VALUE;
      }
      Arrays.sort(keys);
      for (int i = 0; i < v4Count; i++) {
        keys[i] &= 0xffff_ffffL; // now just the index
      }
      return keys;
    }

    private boolean isDisjointV4(long[] order) {
      long prevLast = -1;
      for (long k : order) {
        long b = v4Bounds[(int) k];
        if ((b >>> 32) <= prevLast) {
          return false;
        }
        prevLast = b & 0xffff_ffffL;
      }
      return true;
    }

    /** Cuts possibly overlapping entries into disjoint pieces; {@code maxLo} is the family's last low word. */
    private Pieces cut(List<Entry<V>> entries, long maxLo) {
      Entry<V>[] sorted = sortedByStart(entries);
      Pieces out = new Pieces(sorted.length);
      if (isDisjoint(sorted)) {
        for (Entry<V> e : sorted) {
          out.emit(e.firstHi, e.firstLo, e.lastHi, e.lastLo, e.value);
        }
        return out;
      }
      // With precedence, the greatest active entry wins (earlier entries rank higher on ties); when
      // merging, the active entries are kept in the order added and all of them are combined.
      Comparator<Entry<V>> order = combine != null
          ? Comparator.comparingInt(Entry::seq)
          : (a, b) -> {
            int c = precedence.compare(a.value, b.value);
            return c != 0 ? c : Integer.compare(b.seq, a.seq);
          };
      TreeSet<Entry<V>> active = new TreeSet<>(order);
      PriorityQueue<Entry<V>> byEnd = new PriorityQueue<>((a, b) -> compare(a.lastHi, a.lastLo, b.lastHi, b.lastLo));
      int next = 0;
      long posHi = 0;
      long posLo = 0;
      while (next < sorted.length || !active.isEmpty()) {
        if (active.isEmpty()) {
          posHi = sorted[next].firstHi;
          posLo = sorted[next].firstLo;
          next = admit(sorted, next, posHi, posLo, active, byEnd);
        }
        V winner = valueOf(active);
        Entry<V> soonest = byEnd.peek();
        if (next < sorted.length
            && compare(sorted[next].firstHi, sorted[next].firstLo, soonest.lastHi, soonest.lastLo) <= 0) {
          // The next entry starts before the soonest end: the winner holds until just before it.
          long endLo = sorted[next].firstLo - 1;
          long endHi = sorted[next].firstLo == 0 ? sorted[next].firstHi - 1 : sorted[next].firstHi;
          out.emit(posHi, posLo, endHi, endLo, winner);
          posHi = sorted[next].firstHi;
          posLo = sorted[next].firstLo;
          next = admit(sorted, next, posHi, posLo, active, byEnd);
        } else {
          long endHi = soonest.lastHi;
          long endLo = soonest.lastLo;
          out.emit(posHi, posLo, endHi, endLo, winner);
          while (!byEnd.isEmpty() && byEnd.peek().lastHi == endHi && byEnd.peek().lastLo == endLo) {
            active.remove(byEnd.poll());
          }
          boolean atTop = endLo == maxLo && (maxLo != -1L || endHi == -1L);
          if (atTop) {
            break;
          }
          posLo = endLo + 1;
          posHi = posLo == 0 ? endHi + 1 : endHi;
        }
      }
      return out;
    }

    private V valueOf(TreeSet<Entry<V>> active) {
      if (combine == null) {
        return active.last().value;
      }
      V value = null;
      for (Entry<V> e : active) {
        value = value == null ? e.value : combine.apply(value, e.value);
      }
      return value;
    }

    private int admit(Entry<V>[] sorted, int next, long hi, long lo, TreeSet<Entry<V>> active,
        PriorityQueue<Entry<V>> byEnd) {
      while (next < sorted.length && sorted[next].firstHi == hi && sorted[next].firstLo == lo) {
        active.add(sorted[next]);
        byEnd.add(sorted[next]);
        next++;
      }
      return next;
    }

    @SuppressWarnings("unchecked")
    private Entry<V>[] sortedByStart(List<Entry<V>> entries) {
      Entry<V>[] sorted = entries.toArray(new Entry[0]);
      Arrays.sort(sorted, (a, b) -> {
        int c = compare(a.firstHi, a.firstLo, b.firstHi, b.firstLo);
        return c != 0 ? c : Integer.compare(a.seq, b.seq);
      });
      return sorted;
    }

    private boolean isDisjoint(Entry<V>[] sorted) {
      for (int i = 1; i < sorted.length; i++) {
        Entry<V> prev = sorted[i - 1];
        if (compare(sorted[i].firstHi, sorted[i].firstLo, prev.lastHi, prev.lastLo) <= 0) {
          return false;
        }
      }
      return true;
    }
  }

  private static int compare(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  private record Entry<V>(long firstHi, long firstLo, long lastHi, long lastLo, V value, int seq) {}

  /** Disjoint IPv4 pieces in address order, stored as the index stores them, merging touching equal pieces. */
  private static final class Pieces4 {
    int[] starts;
    int[] ends;
    Object[] values;
    int n;

    Pieces4(int expected) {
      starts = new int[Math.max(expected, 1)];
      ends = new int[Math.max(expected, 1)];
      values = new Object[Math.max(expected, 1)];
    }

    void emit(int first, int last, Object value) {
      if (n > 0 && ((ends[n - 1] ^ SIGN32) & 0xffff_ffffL) + 1 == (first & 0xffff_ffffL)
          && Objects.equals(values[n - 1], value)) {
        ends[n - 1] = last ^ SIGN32;
        return;
      }
      if (n == starts.length) {
        starts = Arrays.copyOf(starts, n * 2);
        ends = Arrays.copyOf(ends, n * 2);
        values = Arrays.copyOf(values, n * 2);
      }
      starts[n] = first ^ SIGN32;
      ends[n] = last ^ SIGN32;
      values[n++] = value;
    }
  }

  /** Disjoint pieces in address order, merging a piece into its neighbour when they touch and agree. */
  private static final class Pieces {
    long[] bounds;
    final List<Object> values;

    Pieces(int expected) {
      bounds = new long[4 * Math.max(expected, 4)];
      values = new ArrayList<>(expected);
    }

    void emit(long firstHi, long firstLo, long lastHi, long lastLo, Object value) {
      int n = values.size();
      if (n > 0) {
        int p = 4 * (n - 1);
        long prevLastHi = bounds[p + 2];
        long prevLastLo = bounds[p + 3];
        long nextLo = prevLastLo + 1;
        long nextHi = nextLo == 0 ? prevLastHi + 1 : prevLastHi;
        if (nextHi == firstHi && nextLo == firstLo && Objects.equals(values.get(n - 1), value)) {
          bounds[p + 2] = lastHi;
          bounds[p + 3] = lastLo;
          return;
        }
      }
      if (4 * n + 4 > bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[4 * n] = firstHi;
      bounds[4 * n + 1] = firstLo;
      bounds[4 * n + 2] = lastHi;
      bounds[4 * n + 3] = lastLo;
      values.add(value);
    }
  }
}
