package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IntervalIndex;
import java.util.Map;
import java.util.Set;

/**
 * The lists an expression may name with {@code $name}, defined in configuration as
 * {@code gatehouse.list.NAME}: lists of IP addresses and networks, of AS numbers, or of strings.
 *
 * <p>An expression looks its lists up once, when it is compiled, and keeps what it was given: the
 * returned index and sets must therefore be immutable (the engine recompiles its rules when lists
 * change). Implementations must be safe to read from the compiling thread.
 */
public interface NamedLists {

  /** What a list holds. */
  enum Kind {
    /** IP addresses and networks, for {@code ip.src in $name}. */
    IP,
    /** AS numbers, for {@code ip.src.asnum in $name}. */
    ASN,
    /** Strings, for any String field: {@code http.host in $name}. */
    STRING
  }

  /** No lists at all. */
  NamedLists NONE = of(Map.of(), Map.of(), Map.of());

  /**
   * Lists held in memory, keyed by name: {@code ips} for {@link Kind#IP} lists, {@code asns} for
   * {@link Kind#ASN} and {@code strings} for {@link Kind#STRING}. The maps and sets are copied; the result
   * is immutable and thread-safe.
   *
   * @throws IllegalArgumentException when two maps hold the same name
   */
  static NamedLists of(Map<String, IntervalIndex<Boolean>> ips, Map<String, Set<Long>> asns,
      Map<String, Set<String>> strings) {
    return new InMemoryLists(ips, asns, strings);
  }

  /** What the list {@code name} holds, or {@code null} when there is no such list. */
  Kind kind(String name);

  /** The addresses of an {@link Kind#IP} list: any non-null value means "in the list". */
  IntervalIndex<Boolean> ips(String name);

  /** The AS numbers of an {@link Kind#ASN} list. */
  Set<Long> asns(String name);

  /** The strings of a {@link Kind#STRING} list, matched exactly (case-sensitive). */
  Set<String> strings(String name);
}
