package io.gatehouse.core.rules.expr;

import com.google.re2j.Pattern;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.Nodes.Arr;
import io.gatehouse.core.rules.expr.Nodes.Cond;
import io.gatehouse.core.rules.expr.Nodes.Int;
import io.gatehouse.core.rules.expr.Nodes.Ip;
import io.gatehouse.core.rules.expr.Nodes.Str;
import io.gatehouse.core.rules.expr.prefilter.Prefilter;
import io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Turns a {@link Checked} tree into the {@link Nodes} that evaluate it. Nothing can fail here; what is
 * left is choosing, once, the cheapest node for each construct, so that evaluation decides nothing that
 * compilation could (a regex runs behind its {@link Prefilter}, {@code lower(x) eq "a"} compares
 * {@code x} without case rather than converting it).
 *
 * <p>Stateless.
 */
final class Compiler {

  private Compiler() {}

  static Cond compile(Checked.Cond root) {
    return cond(root);
  }

  // ---------------------------------------------------------------------------------------------------
  // Conditions

  private static Cond cond(Checked.Cond c) {
    if (c instanceof Checked.Logical logical) {
      List<Cond> parts = new ArrayList<>(logical.parts().size());
      for (Checked.Cond part : logical.parts()) {
        parts.add(cond(part));
      }
      return switch (logical.op()) {
        case OR -> Conditions.or(parts);
        case XOR -> Conditions.xor(parts);
        case AND -> Conditions.and(parts);
      };
    }
    if (c instanceof Checked.Not not) {
      return Conditions.not(cond(not.operand()));
    }
    if (c instanceof Checked.Quantifier q) {
      // The array node itself, not a wrapper, so that iterating costs no call more than it did.
      Nodes.Seq elements = q.ofArrays() ? arrays(q.array()) : array(q.array());
      return Conditions.quantifier(elements, q.slot(), q.slots(), cond(q.predicate()), q.all());
    }
    if (c instanceof Checked.Field field) {
      return (Cond) field.field().node();
    }
    if (c instanceof Checked.Call call) {
      return Functions.cond(call);
    }
    if (c instanceof Checked.Affix affix) {
      return affix.atEnd() ? endsWith(affix.value(), affix.affix()) : startsWith(affix.value(), affix.affix());
    }
    if (c instanceof Checked.StringComparison comparison) {
      return stringComparison(comparison.left(), comparison.op(), comparison.literal());
    }
    if (c instanceof Checked.Matches matches) {
      return matches(str(matches.left()), matches.regex(), matches.pattern());
    }
    if (c instanceof Checked.WildcardMatch match) {
      return wildcard(match);
    }
    if (c instanceof Checked.StringIn in) {
      Str s = str(in.left());
      Set<String> values = in.values();
      return e -> {
        String v = s.get(e);
        return v != null && values.contains(v);
      };
    }
    if (c instanceof Checked.IntegerComparison comparison) {
      return integerComparison(integer(comparison.left()), comparison.op(), comparison.literal());
    }
    if (c instanceof Checked.IntegerIn in) {
      Int n = integer(in.left());
      IntRanges ranges = in.ranges();
      return e -> {
        long v = n.get(e);
        return v != Nodes.MISSING && ranges.contains(v);
      };
    }
    if (c instanceof Checked.IntegerInList in) {
      Int n = integer(in.left());
      // Copied into a sorted array, so that a lookup neither boxes the number nor hashes it.
      long[] sorted = in.list().stream().filter(Objects::nonNull).mapToLong(Long::longValue).sorted().distinct()
          .toArray();
      return e -> {
        long v = n.get(e);
        return v != Nodes.MISSING && Arrays.binarySearch(sorted, v) >= 0;
      };
    }
    if (c instanceof Checked.IpComparison comparison) {
      return ipComparison(ip(comparison.left()), comparison.op(), comparison.literal());
    }
    Checked.IpIn in = (Checked.IpIn) c;
    Ip ip = ip(in.left());
    IntervalIndex<Boolean> set = in.set();
    return e -> {
      IpAddress v = ip.get(e);
      return v != null && set.get(v) != null;
    };
  }

  private static Cond stringComparison(Checked.Value left, ComparisonOp op, String k) {
    Str s;
    switch (op) {
      case EQ:
        return equal(left, k, false);
      case NE:
        return equal(left, k, true);
      case CONTAINS:
        return contains(left, k);
      case LT:
        s = str(left);
        return e -> {
          String v = s.get(e);
          return v != null && Text.compare(v, k) < 0;
        };
      case LE:
        s = str(left);
        return e -> {
          String v = s.get(e);
          return v != null && Text.compare(v, k) <= 0;
        };
      case GT:
        s = str(left);
        return e -> {
          String v = s.get(e);
          return v != null && Text.compare(v, k) > 0;
        };
      default:
        s = str(left);
        return e -> {
          String v = s.get(e);
          return v != null && Text.compare(v, k) >= 0;
        };
    }
  }

  private static Cond matches(Str s, String regex, Pattern pattern) {
    Prefilter required = Prefilter.of(regex);
    if (required == null) {
      return e -> {
        String v = s.get(e);
        return v != null && pattern.matcher(v).find();
      };
    }
    return e -> {
      String v = s.get(e);
      return v != null && required.foundIn(v) && pattern.matcher(v).find();
    };
  }

  private static Cond wildcard(Checked.WildcardMatch match) {
    Wildcard wildcard = match.pattern();
    // wildcard ignores the case of ASCII letters already, so lower(x) and upper(x) match as x does.
    Str value = !match.strict() && match.left() instanceof Checked.Convert convert ? str(convert.argument())
        : str(match.left());
    return e -> {
      String v = value.get(e);
      return v != null && wildcard.matches(v);
    };
  }

  private static Cond integerComparison(Int n, ComparisonOp op, long k) {
    return switch (op) {
      case BITWISE_AND -> e -> {
        long v = n.get(e);
        return v != Nodes.MISSING && (v & k) != 0;
      };
      case EQ -> e -> n.get(e) == k;
      case NE -> e -> {
        long v = n.get(e);
        return v != Nodes.MISSING && v != k;
      };
      case LT -> e -> {
        long v = n.get(e);
        return v != Nodes.MISSING && v < k;
      };
      case LE -> e -> {
        long v = n.get(e);
        return v != Nodes.MISSING && v <= k;
      };
      case GT -> e -> n.get(e) > k;
      default -> e -> n.get(e) >= k;
    };
  }

  private static Cond ipComparison(Ip ip, ComparisonOp op, IpAddress k) {
    return switch (op) {
      case EQ -> e -> k.equals(ip.get(e));
      case NE -> e -> {
        IpAddress v = ip.get(e);
        return v != null && !v.equals(k);
      };
      case LT -> e -> {
        IpAddress v = ip.get(e);
        return v != null && v.isV4() == k.isV4() && v.compareTo(k) < 0;
      };
      case LE -> e -> {
        IpAddress v = ip.get(e);
        return v != null && v.isV4() == k.isV4() && v.compareTo(k) <= 0;
      };
      case GT -> e -> {
        IpAddress v = ip.get(e);
        return v != null && v.isV4() == k.isV4() && v.compareTo(k) > 0;
      };
      default -> e -> {
        IpAddress v = ip.get(e);
        return v != null && v.isV4() == k.isV4() && v.compareTo(k) >= 0;
      };
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // A comparison of lower(x) or upper(x) with a literal that such a result can equal or contain reads x
  // and compares without case: the same answer, without a converted copy of the value per evaluation.
  // (A literal that no such result can hold, as in lower(x) contains "A", keeps the plain comparison.)

  /**
   * The literal in lower case if {@code left} is {@code lower()} or {@code upper()} of something, and the
   * literal has letters, all of which such a result may hold; else {@code null}.
   */
  private static FoldedLiteral caseless(Checked.Value left, String literal) {
    if (!(left instanceof Checked.Convert convert)) {
      return null;
    }
    boolean letters = false;
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (convert.upper() ? c >= 'a' && c <= 'z' : c >= 'A' && c <= 'Z') {
        return null;
      }
      letters |= c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
    return letters ? FoldedLiteral.ascii(Text.lower(literal)) : null;
  }

  /**
   * The value to compare with {@code literal}: for {@code lower(x)} or {@code upper(x)} and a literal
   * without ASCII letters, {@code x} itself, since converting letters cannot change such a comparison.
   */
  private static Str unconverted(Checked.Value left, String literal) {
    if (left instanceof Checked.Convert convert) {
      for (int i = 0; i < literal.length(); i++) {
        char c = literal.charAt(i);
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
          return str(left);
        }
      }
      return str(convert.argument());
    }
    return str(left);
  }

  /** The argument of {@code lower()} or {@code upper()}, for a comparison {@link #caseless} allows. */
  private static Str argument(Checked.Value left) {
    return str(((Checked.Convert) left).argument());
  }

  /**
   * A comparison of a String with a literal: by {@code caseless} on {@code x} when {@code left} is
   * {@code lower(x)} or {@code upper(x)} and {@link #caseless} allows it, else by {@code plain}.
   */
  private static Cond withLiteral(Checked.Value left, String k, BiFunction<Str, FoldedLiteral, Cond> caseless,
      Function<Str, Cond> plain) {
    FoldedLiteral folded = caseless(left, k);
    return folded != null ? caseless.apply(argument(left), folded) : plain.apply(unconverted(left, k));
  }

  private static Cond equal(Checked.Value left, String k, boolean negated) {
    int length = k.length();
    return withLiteral(left, k, (x, folded) -> e -> {
      String v = x.get(e);
      return v != null && (v.length() == length && folded.regionMatches(v, 0)) != negated;
    }, s -> e -> {
      String v = s.get(e);
      return v != null && v.equals(k) != negated;
    });
  }

  private static Cond contains(Checked.Value left, String k) {
    return withLiteral(left, k, (x, folded) -> e -> {
      String v = x.get(e);
      return v != null && folded.foundIn(v);
    }, s -> e -> {
      String v = s.get(e);
      return v != null && v.contains(k);
    });
  }

  private static Cond startsWith(Checked.Value left, String k) {
    return withLiteral(left, k, (x, folded) -> e -> {
      String v = x.get(e);
      return v != null && folded.regionMatches(v, 0);
    }, s -> e -> {
      String v = s.get(e);
      return v != null && v.startsWith(k);
    });
  }

  private static Cond endsWith(Checked.Value left, String k) {
    int length = k.length();
    return withLiteral(left, k, (x, folded) -> e -> {
      String v = x.get(e);
      return v != null && folded.regionMatches(v, v.length() - length);
    }, s -> e -> {
      String v = s.get(e);
      return v != null && v.endsWith(k);
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Values

  static Str str(Checked.Value value) {
    if (value instanceof Checked.Field field) {
      return (Str) field.field().node();
    }
    if (value instanceof Checked.Element element) {
      Arr array = array(element.array());
      int index = element.index();
      return e -> {
        List<String> list = array.get(e);
        return list == null || index >= list.size() ? null : list.get(index);
      };
    }
    if (value instanceof Checked.Each each) {
      int slot = each.slot();
      // An element is only read inside its quantifier, which always hands its condition an Iteration.
      return e -> (String) ((Iteration) e).slots[slot];
    }
    if (value instanceof Checked.Convert convert) {
      Str s = str(convert.argument());
      boolean lower = !convert.upper();
      return e -> {
        String v = s.get(e);
        return v == null ? null : lower ? Text.lower(v) : Text.upper(v);
      };
    }
    if (value instanceof Checked.Literal literal) {
      String k = (String) literal.value();
      return e -> k;
    }
    if (value instanceof Checked.Call call) {
      return Functions.str(call);
    }
    Checked.Decode decode = (Checked.Decode) value;
    Str s = str(decode.argument());
    boolean r = decode.recursive();
    boolean u = decode.unicode();
    return e -> {
      String v = s.get(e);
      return v == null ? null : DecodeCache.urlDecode(v, r, u);
    };
  }

  static Int integer(Checked.Value value) {
    if (value instanceof Checked.Field field) {
      return (Int) field.field().node();
    }
    if (value instanceof Checked.Literal literal) {
      long k = (Long) literal.value();
      return e -> k;
    }
    if (value instanceof Checked.Call call) {
      return Functions.integer(call);
    }
    Checked.Length length = (Checked.Length) value;
    if (length.ofArray()) {
      Arr a = array(length.argument());
      return e -> {
        List<String> v = a.get(e);
        return v == null ? Nodes.MISSING : v.size();
      };
    }
    Str s = str(length.argument());
    return e -> {
      String v = s.get(e);
      return v == null ? Nodes.MISSING : Text.utf8Length(v);
    };
  }

  static Ip ip(Checked.Value value) {
    if (value instanceof Checked.Call call) {
      return Functions.ip(call);
    }
    return (Ip) ((Checked.Field) value).field().node();
  }

  /** A Boolean operand that is a value as well, for {@code to_string()}. */
  static Cond bool(Checked value) {
    return cond((Checked.Cond) value);
  }

  @SuppressWarnings("unchecked")
  static Arr array(Checked.Value value) {
    if (value instanceof Checked.Header header) {
      String name = header.name();
      return e -> {
        List<String> list = e.header(name);
        return list == null || list.isEmpty() ? null : list;
      };
    }
    if (value instanceof Checked.Field field) {
      return (Arr) field.field().node();
    }
    if (value instanceof Checked.MapKey key) {
      Nodes.Mp map = map(key.map());
      String k = key.key();
      return e -> {
        Map<String, List<String>> m = map.get(e);
        return m == null ? null : m.get(k);
      };
    }
    if (value instanceof Checked.Each each) {
      int slot = each.slot();
      return e -> (List<String>) ((Iteration) e).slots[slot];
    }
    if (value instanceof Checked.Outer outer) {
      Nodes.Arrs arrays = arrays(outer.arrays());
      return e -> (List<String>) (List<?>) arrays.get(e);
    }
    if (value instanceof Checked.Element element) {
      Nodes.Arrs arrays = arrays(element.array());
      int index = element.index();
      return e -> {
        List<List<String>> list = arrays.get(e);
        return list == null || index >= list.size() ? null : list.get(index);
      };
    }
    return Functions.array((Checked.Call) value);
  }

  static Nodes.Arrs arrays(Checked.Value value) {
    return (Nodes.Arrs) ((Checked.Field) value).field().node();
  }

  static Nodes.Mp map(Checked.Value value) {
    return (Nodes.Mp) ((Checked.Field) value).field().node();
  }
}
