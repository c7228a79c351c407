package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.Guard.Atom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@link Expression.Index}: the rules' {@linkplain Guard guards} gathered by what they look at, so that
 * one look per value serves every rule. Equality with a field's literals is one hash lookup per field
 * (after a check of the value's length against the literals' lengths, which skips most lookups); the
 * literals a value may hold are one {@link LiteralScan} per value; the headers named are looked up once
 * each, or, when they outnumber the request's own, the request's header names are looked up among them;
 * the client's address is one lookup in one interval index of every rule's addresses.
 *
 * <p>A request allocates nothing here unless some literal is found; then the rules found, and the result.
 * Found rules are bounded ({@link Hits}): past the bound the request is given every rule, as without the
 * index.
 *
 * <p>Immutable and thread-safe.
 */
final class RuleIndex implements Expression.Index {

  private static final int[] NONE = new int[0];

  private final int size;
  private final int[] always; // rules without a guard, ascending
  private final int[] every;
  private final EqualField[] equals;
  private final Scanned[] scans;
  private final String[] headerNames;
  private final int[][] headerRules;
  private final Map<String, int[]> headerRulesByName;
  private final IntervalIndex<int[]> addresses; // null when no rule has an address atom

  /** A String field compared for equality by some rules: the rules by literal, and the literals' lengths. */
  private record EqualField(Nodes.Str value, Map<String, int[]> rules, long lengths) {
    /** Whether some literal has {@code length} characters: bit n for n below 63, bit 63 for longer. */
    boolean mayHave(int length) {
      return (lengths & (1L << Math.min(length, 63))) != 0;
    }
  }

  /** A value searched for literals. */
  private record Scanned(Nodes.Str value, LiteralScan scan) {}

  private RuleIndex(int size, int[] always, EqualField[] equals, Scanned[] scans, Map<String, int[]> headers,
      IntervalIndex<int[]> addresses) {
    this.size = size;
    this.always = always;
    this.every = IntStream.range(0, size).toArray();
    this.equals = equals;
    this.scans = scans;
    this.headerNames = headers.keySet().toArray(new String[0]);
    this.headerRules = headers.values().toArray(new int[0][]);
    this.headerRulesByName = new HashMap<>(headers);
    this.addresses = addresses;
  }

  static RuleIndex build(List<Expression> expressions) {
    int size = expressions.size();
    boolean[] unguarded = new boolean[size];
    Map<Checked.Field, Map<String, List<Integer>>> equal = new LinkedHashMap<>();
    Map<Checked.Value, Map<String, List<Integer>>> contains = new LinkedHashMap<>();
    Map<String, List<Integer>> headers = new LinkedHashMap<>();
    IntervalIndex.Builder<int[]> addresses = IntervalIndex.merging(RuleIndex::union);
    boolean anyAddress = false;
    for (int i = 0; i < size; i++) {
      List<Atom> guard = expressions.get(i).guard();
      if (guard == null) {
        unguarded[i] = true;
        continue;
      }
      int rule = i;
      for (Atom atom : guard) {
        if (atom instanceof Guard.Equal e) {
          equal.computeIfAbsent(e.field(), k -> new LinkedHashMap<>())
              .computeIfAbsent(e.value(), k -> new ArrayList<>()).add(rule);
        } else if (atom instanceof Guard.Contains c) {
          contains.computeIfAbsent(c.key(), k -> new LinkedHashMap<>())
              .computeIfAbsent(c.literal(), k -> new ArrayList<>()).add(rule);
        } else if (atom instanceof Guard.Header h) {
          headers.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(rule);
        } else {
          int[] one = {rule};
          ((Guard.Address) atom).set().forEach((first, last, v) -> addresses.add(first, last, one));
          anyAddress = true;
        }
      }
    }
    List<EqualField> equalFields = new ArrayList<>();
    for (Map.Entry<Checked.Field, Map<String, List<Integer>>> e : equal.entrySet()) {
      Map<String, int[]> rules = new HashMap<>();
      long lengths = 0;
      for (Map.Entry<String, List<Integer>> v : e.getValue().entrySet()) {
        rules.put(v.getKey(), ascending(v.getValue()));
        lengths |= 1L << Math.min(v.getKey().length(), 63);
      }
      equalFields.add(new EqualField(Compiler.str(e.getKey()), rules, lengths));
    }
    List<Scanned> scans = new ArrayList<>();
    // Fields and headers first: they cost nothing to compute, and once the hits are full the rest are needless.
    List<Map.Entry<Checked.Value, Map<String, List<Integer>>>> byCost = new ArrayList<>(contains.entrySet());
    byCost.sort((a, b) -> Boolean.compare(!plain(a.getKey()), !plain(b.getKey())));
    for (Map.Entry<Checked.Value, Map<String, List<Integer>>> e : byCost) {
      Map<String, int[]> literals = new LinkedHashMap<>();
      e.getValue().forEach((literal, rules) -> literals.put(literal, ascending(rules)));
      LiteralScan scan = LiteralScan.build(literals);
      for (int r : scan.leftOut()) {
        unguarded[r] = true;
      }
      scans.add(new Scanned(Compiler.str(e.getKey()), scan));
    }
    Map<String, int[]> headerRules = new LinkedHashMap<>();
    headers.forEach((name, rules) -> headerRules.put(name, ascending(rules)));
    int[] always = IntStream.range(0, size).filter(i -> unguarded[i]).toArray();
    return new RuleIndex(size, always, equalFields.toArray(new EqualField[0]), scans.toArray(new Scanned[0]),
        headerRules, anyAddress ? addresses.build() : null);
  }

  private static boolean plain(Checked.Value key) {
    return key instanceof Checked.Field || key instanceof Checked.Element;
  }

  private static int[] ascending(List<Integer> rules) {
    return rules.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
  }

  private static int[] union(int[] a, int[] b) {
    return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).sorted().distinct().toArray();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int alwaysEvaluated() {
    return always.length;
  }

  @Override
  public int[] candidates(Expression.Context c) {
    Hits hits = null;
    for (EqualField f : equals) {
      String v = f.value().get(c);
      if (v != null && f.mayHave(v.length())) {
        int[] rules = f.rules().get(v);
        if (rules != null) {
          hits = Hits.add(hits, rules, size);
        }
      }
    }
    if (addresses != null) {
      IpAddress ip = c.clientIp();
      int[] rules = ip == null ? null : addresses.get(ip);
      if (rules != null) {
        hits = Hits.add(hits, rules, size);
      }
    }
    if (headerNames.length > 0) {
      hits = headers(c, hits);
    }
    for (Scanned s : scans) {
      if (hits != null && hits.full()) {
        return every;
      }
      String v = s.value().get(c);
      if (v != null) {
        hits = s.scan().scan(v, hits, size);
      }
    }
    if (hits == null) {
      return always;
    }
    return hits.full() ? every : hits.merge(always);
  }

  private Hits headers(Expression.Context c, Hits hits) {
    int count = c.headerCount();
    String first = count > 0 && headerNames.length > 2 * count ? c.headerNameLowerCase(0) : null;
    if (first == null) {
      for (int i = 0; i < headerNames.length; i++) {
        if (c.hasHeader(headerNames[i])) {
          hits = Hits.add(hits, headerRules[i], size);
        }
      }
      return hits;
    }
    for (int i = 0; i < count; i++) {
      int[] rules = headerRulesByName.get(i == 0 ? first : c.headerNameLowerCase(i));
      if (rules != null) {
        hits = Hits.add(hits, rules, size);
      }
    }
    return hits;
  }

  @Override
  public String toString() {
    return size + " expressions, " + always.length + " evaluated always; " + equals.length + " fields by equality, "
        + scans.length + " values scanned, " + headerNames.length + " headers, "
        + (addresses == null ? "no" : "an") + " address index";
  }

  /**
   * The rules one request's values point at, gathered as they are found: at most a quarter of all rules
   * (at least 256); past that the request is given every rule. Adding the same rules twice in a row (a
   * literal found again further on) costs nothing.
   */
  static final class Hits {
    private int[] ids = new int[8];
    private int count;
    private int[] last;
    private boolean full;
    private final int bound;

    private Hits(int size) {
      this.bound = Math.max(256, size / 4);
    }

    /**
     * {@code hits} with {@code rules} added; a new one if {@code hits} is {@code null}, for an index of
     * {@code size} rules.
     */
    static Hits add(Hits hits, int[] rules, int size) {
      Hits h = hits == null ? new Hits(size) : hits;
      h.add(rules);
      return h;
    }

    private void add(int[] rules) {
      if (rules == last || full) {
        return;
      }
      last = rules;
      if (count + rules.length > bound) {
        full = true;
        return;
      }
      if (count + rules.length > ids.length) {
        ids = Arrays.copyOf(ids, Math.max(ids.length * 2, count + rules.length));
      }
      System.arraycopy(rules, 0, ids, count, rules.length);
      count += rules.length;
    }

    boolean full() {
      return full;
    }

    /** The rules found and {@code always}, ascending, each once. */
    int[] merge(int[] always) {
      Arrays.sort(ids, 0, count);
      int[] out = new int[count + always.length];
      int n = 0;
      int i = 0;
      int j = 0;
      while (i < count || j < always.length) {
        int next = j == always.length || i < count && ids[i] < always[j] ? ids[i++] : always[j++];
        if (n == 0 || out[n - 1] != next) {
          out[n++] = next;
        }
      }
      return n == out.length ? out : Arrays.copyOf(out, n);
    }
  }
}
