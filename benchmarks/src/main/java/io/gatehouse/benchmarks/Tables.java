package io.gatehouse.benchmarks;

import com.google.common.collect.Range;
import com.google.common.collect.RangeMap;
import com.google.common.collect.TreeRangeMap;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import java.util.Comparator;

/**
 * Builds the three compared structures from the same input, so that the lookup, build and footprint
 * figures all describe the same tables.
 */
final class Tables {

  private Tables() {}

  static IntervalIndex<Integer> gatehouse(Cidr[] networks, Integer[] values) {
    // The higher score wins, as when the feed parser builds a feed's index.
    IntervalIndex.Builder<Integer> builder = IntervalIndex.builder(Comparator.<Integer>naturalOrder());
    for (int i = 0; i < networks.length; i++) {
      builder.add(networks[i], values[i]);
    }
    return builder.build();
  }

  static RangeMap<Long, Integer> guava(long[] firsts, long[] lasts, Integer[] values) {
    RangeMap<Long, Integer> map = TreeRangeMap.create();
    for (int i = 0; i < firsts.length; i++) {
      map.put(Range.closed(firsts[i], lasts[i]), values[i]);
    }
    return map;
  }

  static IPv4AddressAssociativeTrie<Integer> trie(IPv4Address[] blocks, Integer[] values) {
    IPv4AddressAssociativeTrie<Integer> trie = new IPv4AddressAssociativeTrie<>();
    for (int i = 0; i < blocks.length; i++) {
      trie.put(blocks[i], values[i]);
    }
    return trie;
  }

  /** The trie's answer in the other structures' terms: the value of the network holding the address. */
  static Integer lookup(IPv4AddressAssociativeTrie<Integer> trie, IPv4Address address) {
    IPv4AddressAssociativeTrie.IPv4AssociativeTrieNode<Integer> node = trie.longestPrefixMatchNode(address);
    return node == null ? null : node.getValue();
  }
}
