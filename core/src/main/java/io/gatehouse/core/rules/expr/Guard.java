package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.rules.expr.prefilter.Prefilter;
import io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral;
import java.util.ArrayList;
import java.util.List;

/**
 * What a request must show for an expression to match: a few facts ({@link Atom}s), at least one of which
 * holds of every request the expression matches. A request for which none holds cannot match, so a
 * {@link RuleIndex} that finds which atoms hold, for all rules at once, need not evaluate the others.
 *
 * <p>An atom is a value equal to a literal, a value holding a literal (compared in {@linkplain #fold
 * folded form}, so that one search serves {@code lower()}, {@code wildcard} and {@code (?i)} alike), a
 * header present, or the client's address in a set. The guard is derived from the checked tree:
 * <ul>
 *   <li>{@code eq}, {@code in {...}} on a field, {@code contains}, {@code starts_with}, {@code ends_with},
 *       {@code wildcard} (its longest piece) and {@code matches} (the literals its
 *       {@linkplain Prefilter prefilter} requires) give literals; {@code ip.src in} and {@code eq} give
 *       addresses;
 *   <li>any other comparison of a header's value, and {@code any()} or {@code all()} over a header, need
 *       the header, since every comparison on a missing value is false; over another array they need
 *       what their condition needs of the request outside the element;
 *   <li>{@code or} and {@code xor} need one of their parts' atoms, so their guard is the union; {@code and}
 *       takes the part whose atoms are least likely to hold;
 *   <li>{@code not}, Boolean fields and functions, and comparisons such as {@code ne} or {@code lt} on
 *       other values give nothing: an expression that rests on one of them has no guard and is evaluated
 *       for every request.
 * </ul>
 * Being necessary only, a guard never changes an answer: when it holds, the expression itself decides.
 */
final class Guard {

  /** Longer sets are left to the expression itself: indexing them would cost more than evaluating them. */
  static final int MAX_SET = 4096;

  private Guard() {}

  /** One fact about a request. */
  sealed interface Atom {
    /** How likely the atom is to hold of an ordinary request, in rough relative units: lower is rarer. */
    int weight();
  }

  /** A String field equal to {@code value}. */
  record Equal(Checked.Field field, String value) implements Atom {
    @Override
    public int weight() {
      return switch (field.field().name()) {
        case "http.request.method", "http.request.version", "http.request.uri.path.extension" -> 6;
        case "ip.src.country", "ip.src.continent", "ip.src.region_code", "cf.verified_bot_category" -> 4;
        default -> 1;
      };
    }
  }

  /** A String value that, {@linkplain #fold folded}, holds {@code literal} (already folded). */
  record Contains(Checked.Value key, String literal) implements Atom {
    @Override
    public int weight() {
      int base = literal.length() >= 8 ? 1 : literal.length() >= 4 ? 2 : literal.length() >= 2 ? 4 : 8;
      return key instanceof Checked.Field || key instanceof Checked.Element ? base : base + 2;
    }
  }

  /** A header the request carries, by its lower-case name. */
  record Header(String name) implements Atom {
    @Override
    public int weight() {
      return 3;
    }
  }

  /** The client's address in {@code set}. */
  record Address(IntervalIndex<Boolean> set) implements Atom {
    @Override
    public int weight() {
      return 2;
    }
  }

  /** The folded form of a character: what the index compares literals and values by. */
  static char fold(char c) {
    return FoldedLiteral.fold(c, true);
  }

  static String fold(String s) {
    char[] out = null;
    for (int i = 0; i < s.length(); i++) {
      char f = fold(s.charAt(i));
      if (f != s.charAt(i)) {
        if (out == null) {
          out = s.toCharArray();
        }
        out[i] = f;
      }
    }
    return out == null ? s : new String(out);
  }

  /** The guard of {@code root}, or {@code null} when it has none (the expression must always be evaluated). */
  static List<Atom> of(Checked.Cond root) {
    List<Atom> atoms = cond(root);
    return atoms == null ? null : List.copyOf(atoms);
  }

  private static List<Atom> cond(Checked.Cond c) {
    if (c instanceof Checked.Logical logical) {
      return logical.op() == LogicalOp.AND ? rarest(logical.parts()) : union(logical.parts());
    }
    if (c instanceof Checked.Quantifier q) {
      if (q.array() instanceof Checked.Header header) {
        return List.of(new Header(header.name()));
      }
      // Both are false over a missing or empty array, so either holds only if its condition holds of some
      // element: a guard of the condition that reads no element (none that an Each would make) is necessary.
      return cond(q.predicate());
    }
    if (c instanceof Checked.Affix affix) {
      return contains(affix.value(), affix.affix());
    }
    if (c instanceof Checked.StringComparison comparison) {
      Checked.Value left = comparison.left();
      return switch (comparison.op()) {
        case EQ -> left instanceof Checked.Field field && field.field().type() == Type.STRING
            ? List.of(new Equal(field, comparison.literal()))
            : orPresence(contains(left, comparison.literal()), left);
        case CONTAINS -> orPresence(contains(left, comparison.literal()), left);
        default -> presence(left);
      };
    }
    if (c instanceof Checked.Matches matches) {
      Prefilter required = Prefilter.of(matches.regex());
      if (required == null) {
        return presence(matches.left());
      }
      List<Atom> atoms = new ArrayList<>();
      for (String literal : required.literals()) {
        List<Atom> one = contains(matches.left(), literal);
        if (one == null) {
          return presence(matches.left());
        }
        atoms.addAll(one);
      }
      return atoms;
    }
    if (c instanceof Checked.WildcardMatch match) {
      return orPresence(contains(match.left(), match.pattern().longestPiece()), match.left());
    }
    if (c instanceof Checked.StringIn in) {
      if (in.left() instanceof Checked.Field field && field.field().type() == Type.STRING
          && in.values().size() <= MAX_SET) {
        List<Atom> atoms = new ArrayList<>(in.values().size());
        for (String v : in.values()) {
          atoms.add(new Equal(field, v));
        }
        return atoms;
      }
      return presence(in.left());
    }
    Checked.Value integer = c instanceof Checked.IntegerComparison x ? x.left()
        : c instanceof Checked.IntegerIn x ? x.left()
        : c instanceof Checked.IntegerInList x ? x.left() : null;
    if (integer != null) {
      return presence(integer);
    }
    if (c instanceof Checked.IpComparison comparison) {
      if (comparison.op() == ComparisonOp.EQ && isClientAddress(comparison.left())) {
        return List.of(new Address(IntervalIndex.<Boolean>builder()
            .add(comparison.literal(), comparison.literal(), Boolean.TRUE).build()));
      }
      return null;
    }
    if (c instanceof Checked.IpIn in) {
      boolean small = in.set().sizeV4() + in.set().sizeV6() <= MAX_SET;
      return small && isClientAddress(in.left()) ? List.of(new Address(in.set())) : null;
    }
    // not, Boolean fields and functions.
    return null;
  }

  private static boolean isClientAddress(Checked.Value v) {
    return v instanceof Checked.Field field && field.field().name().equals("ip.src");
  }

  /** The union of the parts' guards, or {@code null} when one part has none. */
  private static List<Atom> union(List<Checked.Cond> parts) {
    List<Atom> atoms = new ArrayList<>();
    for (Checked.Cond part : parts) {
      List<Atom> one = cond(part);
      if (one == null) {
        return null;
      }
      atoms.addAll(one);
    }
    return atoms;
  }

  /** The guard of the part least likely to hold, or {@code null} when no part has one. */
  private static List<Atom> rarest(List<Checked.Cond> parts) {
    List<Atom> best = null;
    int bestWeight = Integer.MAX_VALUE;
    for (Checked.Cond part : parts) {
      List<Atom> one = cond(part);
      if (one == null) {
        continue;
      }
      int weight = 0;
      for (Atom a : one) {
        weight = weight > Integer.MAX_VALUE - a.weight() ? Integer.MAX_VALUE : weight + a.weight();
      }
      if (weight < bestWeight) {
        best = one;
        bestWeight = weight;
      }
    }
    return best;
  }

  /**
   * {@code value} holding {@code literal}: the value without its {@code lower()} and {@code upper()}, since
   * folding covers them. {@code null} for the empty literal, which every value holds, and for a value
   * that reads an element of {@code any()} or {@code all()}, which only exists inside it.
   */
  private static List<Atom> contains(Checked.Value value, String literal) {
    Checked.Value key = value;
    while (key instanceof Checked.Convert convert) {
      key = convert.argument();
    }
    if (literal.isEmpty() || !standsAlone(key)) {
      return null;
    }
    return List.of(new Contains(key, fold(literal)));
  }

  /** Whether {@code v} can be computed from the request alone, outside any {@code any()} or {@code all()}. */
  static boolean standsAlone(Checked v) {
    if (v instanceof Checked.Field || v instanceof Checked.Header || v instanceof Checked.Literal) {
      return true;
    }
    if (v instanceof Checked.Convert convert) {
      return standsAlone(convert.argument());
    }
    if (v instanceof Checked.Decode decode) {
      return standsAlone(decode.argument());
    }
    if (v instanceof Checked.Element element) {
      return standsAlone(element.array());
    }
    if (v instanceof Checked.MapKey key) {
      return standsAlone(key.map());
    }
    if (v instanceof Checked.Call call) {
      for (Checked argument : call.arguments()) {
        if (!(argument instanceof Checked.Value) || !standsAlone(argument)) {
          return false;
        }
      }
      return true;
    }
    // Each, Outer, Length and conditions.
    return false;
  }

  private static List<Atom> orPresence(List<Atom> atoms, Checked.Value value) {
    return atoms != null ? atoms : presence(value);
  }

  /**
   * The header {@code value} reads, when it is missing whenever the header is: a header's values, one of
   * them, and {@code lower()}, {@code upper()}, {@code url_decode()} and {@code len()} of those (which
   * pass a missing value through). {@code null} otherwise.
   */
  private static List<Atom> presence(Checked.Value value) {
    Checked.Value v = value;
    while (true) {
      if (v instanceof Checked.Convert convert) {
        v = convert.argument();
      } else if (v instanceof Checked.Decode decode) {
        v = decode.argument();
      } else if (v instanceof Checked.Length length) {
        v = length.argument();
      } else if (v instanceof Checked.Element element && element.array() instanceof Checked.Header) {
        v = element.array();
      } else {
        break;
      }
    }
    return v instanceof Checked.Header header ? List.of(new Header(header.name())) : null;
  }
}
