package io.gatehouse.core.rules.expr;

import io.gatehouse.core.rules.expr.Nodes.Cond;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/** The logical nodes: n-ary {@code and}, {@code or}, {@code xor}, {@code not}, {@code any()} and {@code all()}. */
final class Conditions {

  private Conditions() {}

  static Cond and(List<Cond> parts) {
    return join(parts, (a, b) -> e -> a.test(e) && b.test(e), all -> e -> {
      for (Cond c : all) {
        if (!c.test(e)) {
          return false;
        }
      }
      return true;
    });
  }

  static Cond or(List<Cond> parts) {
    return join(parts, (a, b) -> e -> a.test(e) || b.test(e), all -> e -> {
      for (Cond c : all) {
        if (c.test(e)) {
          return true;
        }
      }
      return false;
    });
  }

  /** {@code a xor b xor c}: true when an odd number of the parts are true (xor is associative). */
  static Cond xor(List<Cond> parts) {
    return join(parts, null, all -> e -> {
      boolean result = false;
      for (Cond c : all) {
        result ^= c.test(e);
      }
      return result;
    });
  }

  /**
   * One part as itself; two through {@code pair} when given, since a node over two fields is the common
   * case and cheaper than a loop; more through {@code many}, over an array rather than a list.
   */
  private static Cond join(List<Cond> parts, BinaryOperator<Cond> pair, Function<Cond[], Cond> many) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Cond[] all = parts.toArray(new Cond[0]);
    return pair != null && all.length == 2 ? pair.apply(all[0], all[1]) : many.apply(all);
  }

  static Cond not(Cond inner) {
    return e -> !inner.test(e);
  }

  /**
   * {@code any(...)} or {@code all(...)} over {@code array}: the predicate runs once per element, which it
   * reads from {@code slot} of the {@link Iteration} it is given. {@code slots} counts the slots of this
   * quantifier and of those nested in it. A missing array (an absent header) makes both false.
   */
  static Cond quantifier(Nodes.Seq array, int slot, int slots, Cond predicate, boolean all) {
    return c -> {
      List<?> values = array.get(c);
      if (values == null || values.isEmpty()) {
        return false;
      }
      Iteration it = c instanceof Iteration outer ? outer : new Iteration(c, slots);
      Object saved = it.slots[slot];
      try {
        if (values instanceof RandomAccess) {
          for (int i = 0, n = values.size(); i < n; i++) {
            it.slots[slot] = values.get(i);
            if (predicate.test(it) != all) {
              return !all;
            }
          }
        } else {
          for (Object v : values) {
            it.slots[slot] = v;
            if (predicate.test(it) != all) {
              return !all;
            }
          }
        }
        return all;
      } finally {
        it.slots[slot] = saved;
      }
    };
  }
}
