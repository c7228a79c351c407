package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IntervalIndex;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link Expression.Lists#of}: the lists copied into immutable maps, so that instances are immutable and thread-safe. */
record InMemoryLists(Map<String, IntervalIndex<Boolean>> ipLists, Map<String, Set<Long>> asnLists,
    Map<String, Set<String>> stringLists) implements Expression.Lists {

  InMemoryLists {
    Set<String> names = new HashSet<>();
    for (Map<String, ?> lists : List.of(ipLists, asnLists, stringLists)) {
      for (String name : lists.keySet()) {
        if (!names.add(name)) {
          throw new IllegalArgumentException("two lists are named " + name);
        }
      }
    }
    ipLists = Map.copyOf(ipLists);
    asnLists = copyOf(asnLists);
    stringLists = copyOf(stringLists);
  }

  private static <T> Map<String, Set<T>> copyOf(Map<String, Set<T>> lists) {
    Map<String, Set<T>> copy = new HashMap<>();
    lists.forEach((name, values) -> copy.put(name, Set.copyOf(values)));
    return Map.copyOf(copy);
  }

  @Override
  public Kind kind(String name) {
    if (ipLists.containsKey(name)) {
      return Kind.IP;
    }
    if (asnLists.containsKey(name)) {
      return Kind.ASN;
    }
    return stringLists.containsKey(name) ? Kind.STRING : null;
  }

  @Override
  public IntervalIndex<Boolean> ips(String name) {
    return ipLists.getOrDefault(name, IntervalIndex.empty());
  }

  @Override
  public Set<Long> asns(String name) {
    return asnLists.getOrDefault(name, Set.of());
  }

  @Override
  public Set<String> strings(String name) {
    return stringLists.getOrDefault(name, Set.of());
  }
}
