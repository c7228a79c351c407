package io.gatehouse.core.rules;

import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled set of IP Access Rules. Address and network rules live in an {@link IntervalIndex}, so a
 * hundred thousand of them cost one binary search; AS rules in a sorted array of numbers (no boxing on
 * the request path); country and continent rules in hash maps.
 *
 * <p>The most specific match wins: an address, then a longer prefix, then an AS, then a country, then
 * a continent. Among rules of equal specificity (the same network written twice) the stronger action
 * wins: allow, block, challenge, log.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AccessRules {

  private static final Comparator<AccessRule> PRECEDENCE = Comparator.comparingInt(AccessRule::precedence);
  private static final AccessRules EMPTY = compile(List.of());

  private final List<AccessRule> rules;
  private final IntervalIndex<AccessRule> byAddress;
  // AS rules: the numbers ascending, and the winning rule for each at the same position.
  private final long[] asnNumbers;
  private final AccessRule[] asnRules;
  private final Map<String, AccessRule> byCountry;
  private final Map<String, AccessRule> byContinent;

  private AccessRules(List<AccessRule> rules, IntervalIndex<AccessRule> byAddress, Map<Long, AccessRule> byAsn,
      Map<String, AccessRule> byCountry, Map<String, AccessRule> byContinent) {
    this.rules = rules;
    this.byAddress = byAddress;
    this.asnNumbers = byAsn.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    this.asnRules = new AccessRule[asnNumbers.length];
    for (int i = 0; i < asnNumbers.length; i++) {
      asnRules[i] = byAsn.get(asnNumbers[i]);
    }
    this.byCountry = byCountry;
    this.byContinent = byContinent;
  }

  public static AccessRules empty() {
    return EMPTY;
  }

  /** Compiles {@code rules}, in the order given (earlier rules win exact ties). */
  public static AccessRules compile(List<AccessRule> rules) {
    IntervalIndex.Builder<AccessRule> index = IntervalIndex.builder(PRECEDENCE);
    Map<Long, AccessRule> asn = new HashMap<>();
    Map<String, AccessRule> country = new HashMap<>();
    Map<String, AccessRule> continent = new HashMap<>();
    for (AccessRule r : rules) {
      switch (r.target()) {
        case IP -> index.add(r.network(), r);
        case ASN -> asn.merge(r.asn(), r, AccessRules::stronger);
        case COUNTRY -> country.merge(r.value(), r, AccessRules::stronger);
        case CONTINENT -> continent.merge(r.value(), r, AccessRules::stronger);
      }
    }
    return new AccessRules(List.copyOf(rules), index.build(), asn, Map.copyOf(country),
        Map.copyOf(continent));
  }

  private static AccessRule stronger(AccessRule first, AccessRule second) {
    return second.precedence() > first.precedence() ? second : first;
  }

  /** The winning address or network rule for {@code ip}, or {@code null}. */
  public AccessRule matchAddress(IpAddress ip) {
    return ip == null ? null : byAddress.get(ip);
  }

  /** The rule for an AS number, or {@code null}. */
  public AccessRule matchAsn(long asn) {
    int i = asnNumbers.length == 0 ? -1 : Arrays.binarySearch(asnNumbers, asn);
    return i < 0 ? null : asnRules[i];
  }

  /** The rule for a country code, or {@code null}. */
  public AccessRule matchCountry(String country) {
    return byCountry.isEmpty() ? null : byCountry.get(country);
  }

  /** The rule for a continent code, or {@code null}. */
  public AccessRule matchContinent(String continent) {
    return byContinent.isEmpty() ? null : byContinent.get(continent);
  }

  public boolean hasAsnRules() {
    return asnNumbers.length > 0;
  }

  public boolean hasCountryRules() {
    return !byCountry.isEmpty();
  }

  public boolean hasContinentRules() {
    return !byContinent.isEmpty();
  }

  /** Every rule, in the order compiled. */
  public List<AccessRule> rules() {
    return rules;
  }

  public int size() {
    return rules.size();
  }

  /**
   * Pairs of rules where the second can never decide anything because the first has the same target
   * and value and wins: worth a warning at load, since one of the two is a mistake.
   */
  public List<AccessRule[]> shadowed() {
    Map<String, AccessRule> seen = new HashMap<>();
    List<AccessRule[]> out = new ArrayList<>();
    for (AccessRule r : rules) {
      String key = r.target().id() + " " + r.value();
      AccessRule first = seen.putIfAbsent(key, r);
      if (first != null) {
        AccessRule winner = stronger(first, r);
        out.add(new AccessRule[] {winner, winner == first ? r : first});
      }
    }
    return out;
  }
}
