package io.gatehouse.core.rules;

import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One IP Access Rule: an action for requests from an address, network, autonomous system, country or
 * continent. Written in properties as {@code ACTION TARGET VALUE ["notes"]}:
 *
 * <pre>
 * gatehouse.access-rule.hq=allow ip 203.0.113.0/24 "HQ office egress"
 * gatehouse.access-rule.bad-host=block asn AS64496 "abuse reports"
 * </pre>
 *
 * @param id the rule's id (the key's ID segment, or the managed file's id)
 * @param action what a match does
 * @param target what kind of value the rule matches
 * @param value the canonical value: {@code 203.0.113.0/24}, {@code 64496}, {@code DE}, {@code EU}
 * @param network the network for {@link Target#IP} rules, otherwise {@code null}
 * @param asn the AS number for {@link Target#ASN} rules, otherwise 0
 * @param notes the owner's notes, possibly empty
 * @param origin where the rule was written: {@code file:line}, or the managed file
 */
public record AccessRule(String id, RuleAction action, Target target, String value, Cidr network, long asn,
    String notes, String origin) {

  /** What an access rule matches, from the least to the most specific. */
  public enum Target {
    CONTINENT, COUNTRY, ASN, IP;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Continent codes as the geo databases write them. */
  public static final Set<String> CONTINENTS = GeoLookup.continents();

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  public AccessRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(value, "value");
    notes = notes == null ? "" : notes;
    origin = origin == null ? "" : origin;
    if (action == RuleAction.SKIP) {
      throw new IllegalArgumentException("an access rule cannot skip");
    }
    if ((target == Target.IP) != (network != null)) {
      throw new IllegalArgumentException("an ip rule, and only an ip rule, has a network");
    }
  }

  /**
   * Parses {@code ACTION TARGET VALUE ["notes"]}.
   *
   * @throws IllegalArgumentException saying what is wrong, echoing the input
   */
  public static AccessRule parse(String id, String text, String origin) {
    Tokens t = new Tokens(text);
    String actionWord = t.word();
    String targetWord = t.word();
    String valueWord = t.word();
    if (actionWord == null || targetWord == null || valueWord == null) {
      throw new IllegalArgumentException("'" + text + "' is not an access rule; write ACTION TARGET VALUE [\"notes\"],"
          + " for example: block ip 192.0.2.0/24 \"scanner\"");
    }
    RuleAction action = parseAction(actionWord);
    String notes = t.quotedRest();
    return of(id, action, targetWord, valueWord, notes, origin);
  }

  /**
   * A rule from its parts, as the managed rules file and the admin API give them.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static AccessRule of(String id, RuleAction action, String target, String value, String notes, String origin) {
    Target t = parseTarget(target);
    String v = value.trim();
    return switch (t) {
      case IP -> {
        Cidr network;
        try {
          network = Cidr.parse(v);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(e.getMessage());
        }
        yield new AccessRule(id, action, t, network.isHost() ? network.network().toString() : network.toString(),
            network, 0, notes, origin);
      }
      case ASN -> {
        long asn = parseAsn(v);
        yield new AccessRule(id, action, t, Long.toString(asn), null, asn, notes, origin);
      }
      case COUNTRY -> {
        String c = v.toUpperCase(Locale.ROOT);
        if (!(c.equals("XX") || c.length() == 2 && COUNTRIES.contains(c))) {
          throw new IllegalArgumentException("'" + value + "' is not an ISO 3166-1 alpha-2 country code (or XX for unknown)");
        }
        yield new AccessRule(id, action, t, c, null, 0, notes, origin);
      }
      case CONTINENT -> {
        String c = v.toUpperCase(Locale.ROOT);
        if (!CONTINENTS.contains(c)) {
          throw new IllegalArgumentException("'" + value + "' is not a continent code: " + String.join(" ", CONTINENTS));
        }
        yield new AccessRule(id, action, t, c, null, 0, notes, origin);
      }
    };
  }

  /** Parses an action word: {@code allow}, {@code block}, {@code challenge} or {@code log}. */
  public static RuleAction parseAction(String word) {
    RuleAction a = RuleAction.fromId(word);
    if (a != null && a != RuleAction.SKIP) {
      return a;
    }
    throw new IllegalArgumentException("'" + word + "' is not an access rule action: allow, block, challenge or log");
  }

  private static Target parseTarget(String word) {
    for (Target t : Target.values()) {
      if (t.id().equalsIgnoreCase(word)) {
        return t;
      }
    }
    throw new IllegalArgumentException("'" + word + "' is not an access rule target: ip, asn, country or continent");
  }

  private static long parseAsn(String v) {
    String digits = v.regionMatches(true, 0, "AS", 0, 2) ? v.substring(2) : v;
    if (!digits.isEmpty() && digits.length() <= 10 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long n = Long.parseLong(digits);
      if (n >= 1 && n <= 4_294_967_295L) {
        return n;
      }
    }
    throw new IllegalArgumentException("'" + v + "' is not an AS number (1 to 4294967295, optionally written AS64496)");
  }

  /**
   * The rank of this rule among rules that match the same address: a more specific target first, then
   * a longer prefix, then the stronger action (allow, block, challenge, log).
   */
  public int precedence() {
    int specificity = target == Target.IP ? 100 + network.prefixLength() : target.ordinal();
    return specificity * 8 + action.ordinal();
  }

  /** The rule as it is written in properties: {@code block ip 192.0.2.0/24 "notes"}. */
  public String text() {
    String base = action.id() + " " + target.id() + " " + value;
    return notes.isEmpty() ? base : base + " \"" + notes.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The notes, or the rule's text when there are none: what an event shows as the reason. */
  public String describe() {
    return notes.isEmpty() ? text() : notes;
  }

  /** Splits a rule line into words and an optional quoted tail. */
  private static final class Tokens {
    private final String s;
    private int pos;

    Tokens(String s) {
      this.s = s;
    }

    String word() {
      skipBlanks();
      if (pos >= s.length() || s.charAt(pos) == '"') {
        return null;
      }
      int start = pos;
      while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    String quotedRest() {
      skipBlanks();
      if (pos >= s.length()) {
        return "";
      }
      if (s.charAt(pos) != '"') {
        throw new IllegalArgumentException("notes must be in double quotes: '" + s.substring(pos) + "'");
      }
      StringBuilder out = new StringBuilder();
      pos++;
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '\\' && pos < s.length()) {
          out.append(s.charAt(pos++));
        } else if (c == '"') {
          skipBlanks();
          if (pos < s.length()) {
            throw new IllegalArgumentException("unexpected text after the notes: '" + s.substring(pos) + "'");
          }
          return out.toString();
        } else {
          out.append(c);
        }
      }
      throw new IllegalArgumentException("the notes' closing quote is missing");
    }

    private void skipBlanks() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }

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
  public static final class Table {

    private static final Comparator<AccessRule> PRECEDENCE = Comparator.comparingInt(AccessRule::precedence);
    private static final Table EMPTY = compile(List.of());

    private final List<AccessRule> rules;
    private final IntervalIndex<AccessRule> byAddress;
    // AS rules: the numbers ascending, and the winning rule for each at the same position.
    private final long[] asnNumbers;
    private final AccessRule[] asnRules;
    private final Map<String, AccessRule> byCountry;
    private final Map<String, AccessRule> byContinent;

    private Table(List<AccessRule> rules, IntervalIndex<AccessRule> byAddress, Map<Long, AccessRule> byAsn,
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

    public static Table empty() {
      return EMPTY;
    }

    /** Compiles {@code rules}, in the order given (earlier rules win exact ties). */
    public static Table compile(List<AccessRule> rules) {
      IntervalIndex.Builder<AccessRule> index = IntervalIndex.builder(PRECEDENCE);
      Map<Long, AccessRule> asn = new HashMap<>();
      Map<String, AccessRule> country = new HashMap<>();
      Map<String, AccessRule> continent = new HashMap<>();
      for (AccessRule r : rules) {
        switch (r.target()) {
          case IP -> index.add(r.network(), r);
          case ASN -> asn.merge(r.asn(), r, Table::stronger);
          case COUNTRY -> country.merge(r.value(), r, Table::stronger);
          case CONTINENT -> continent.merge(r.value(), r, Table::stronger);
        }
      }
      return new Table(List.copyOf(rules), index.build(), asn, Map.copyOf(country),
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
}
