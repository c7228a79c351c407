package io.gatehouse.benchmarks;

import inet.ipaddr.ipv4.IPv4Address;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IpAddress;
import java.util.BitSet;
import java.util.Random;

/**
 * A reproducible stand-in for an IP reputation feed: {@code size} random IPv4 networks from /24 to /32,
 * spread over the whole address space, each carrying one of a few shared scores.
 *
 * <p>The networks are disjoint (at most one per /24) because the three compared structures settle
 * overlaps differently (precedence, last put, longest prefix); with no overlaps they must all give the
 * same answer, and {@link IntervalIndexFootprint} checks that they do. Networks come in random order,
 * as feeds are not guaranteed to be sorted.
 */
final class SyntheticFeed {

  /** Fixed so every run, and every structure within a run, sees the same networks and probes. */
  static final long SEED = 20261125L;

  /** The handful of scores a real feed shares across all its entries. */
  static final Integer[] SCORES = {5, 10, 20, 35, 50, 65, 80, 100};

  private final int[] networks;
  private final int[] prefixes;
  private final Integer[] values;

  private SyntheticFeed(int[] networks, int[] prefixes, Integer[] values) {
    this.networks = networks;
    this.prefixes = prefixes;
    this.values = values;
  }

  static SyntheticFeed of(int size) {
    if (size > (1 << 23)) {
      // Past half of all /24s, finding a free one by rejection gets slow.
      throw new IllegalArgumentException("at most " + (1 << 23) + " networks, not " + size);
    }
    Random random = new Random(SEED);
    BitSet taken = new BitSet(1 << 24);
    int[] networks = new int[size];
    int[] prefixes = new int[size];
    Integer[] values = new Integer[size];
    for (int i = 0; i < size; i++) {
      int block;
      do {
        block = random.nextInt(1 << 24);
      } while (taken.get(block));
      taken.set(block);
      int prefix = 24 + random.nextInt(9);
      int hostMask = (1 << (32 - prefix)) - 1;
      networks[i] = (block << 8) | (random.nextInt(256) & ~hostMask);
      prefixes[i] = prefix;
      values[i] = SCORES[random.nextInt(SCORES.length)];
    }
    return new SyntheticFeed(networks, prefixes, values);
  }

  int size() {
    return networks.length;
  }

  Integer[] values() {
    return values;
  }

  /** What a feed parser hands to {@code IntervalIndex.Builder.add(Cidr, V)}. */
  Cidr[] cidrs() {
    Cidr[] out = new Cidr[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Cidr.of(IpAddress.ofV4(networks[i]), prefixes[i]);
    }
    return out;
  }

  /** First addresses as unsigned values, so that {@code Long}'s natural order is address order. */
  long[] firsts() {
    long[] out = new long[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = networks[i] & 0xffff_ffffL;
    }
    return out;
  }

  /** Last addresses as unsigned values. */
  long[] lasts() {
    long[] out = new long[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (networks[i] | ((1 << (32 - prefixes[i])) - 1)) & 0xffff_ffffL;
    }
    return out;
  }

  /** The networks as the prefix blocks the trie takes as keys. */
  IPv4Address[] prefixBlocks() {
    IPv4Address[] out = new IPv4Address[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = prefixes[i] == 32
          ? new IPv4Address(networks[i])
          : new IPv4Address(networks[i], prefixes[i]).toPrefixBlock();
    }
    return out;
  }

  /**
   * Lookup addresses: half inside a random network, half anywhere (and so almost always a miss), because
   * a firewall sees both and a structure may be faster at one than the other.
   */
  int[] probes(int count) {
    Random random = new Random(SEED + 1);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      if (random.nextBoolean()) {
        int n = random.nextInt(size());
        out[i] = networks[n] + random.nextInt(1 << (32 - prefixes[n]));
      } else {
        out[i] = random.nextInt();
      }
    }
    return out;
  }
}
