package io.gatehouse.core.rules.expr.prefilter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What is known of a piece of pattern: {@code exact}, the strings it matches (up to folded form where
 * folded), or else {@code required}, strings one of which occurs in anything it matches; both
 * {@code null} when nothing is known. The {@link Analyser} summarises each construct so, and the rules
 * here combine the summaries of a concatenation or an alternation.
 */
record Info(Set<Lit> exact, Set<Lit> required) {

  /** One literal: its text, and whether it is in folded form and searched by it. */
  record Lit(String text, boolean fold) {

    static final Lit EMPTY = new Lit("", false);

    Lit then(Lit next) {
      if (fold == next.fold) {
        return new Lit(text + next.text, fold);
      }
      return new Lit(foldedForm(text) + foldedForm(next.text), true);
    }

    private static String foldedForm(String s) {
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        b.append(Prefilter.FoldedLiteral.fold(s.charAt(i), true));
      }
      return b.toString();
    }
  }

  static final Info UNKNOWN = new Info(null, null);
  static final Info EMPTY = exactly(Set.of(Lit.EMPTY));

  static Info exactly(Set<Lit> strings) {
    return new Info(strings, null);
  }

  static Info requiring(Set<Lit> strings) {
    return strings == null ? UNKNOWN : new Info(null, strings);
  }

  /** Strings one of which occurs in every match, or {@code null} when that says nothing. */
  Set<Lit> necessary() {
    Set<Lit> r = exact != null ? exact : required;
    if (r == null) {
      return null;
    }
    for (Lit lit : r) {
      if (lit.text.isEmpty()) {
        return null; // the empty string occurs everywhere
      }
    }
    return r;
  }

  // -------------------------------------------------------------------------------------------------
  // Combining

  /** {@code a|b|...}: one literal from every branch, so the union of what each requires. */
  static Info alternate(List<Info> branches) {
    boolean allExact = true;
    for (Info b : branches) {
      allExact &= b.exact != null;
    }
    Set<Lit> union = new LinkedHashSet<>();
    for (Info b : branches) {
      Set<Lit> r = allExact ? b.exact : b.necessary();
      if (r == null) {
        return UNKNOWN;
      }
      union.addAll(r);
      if (union.size() > Prefilter.MAX_LITERALS) {
        return UNKNOWN;
      }
    }
    return allExact ? exactly(union) : requiring(union);
  }

  /**
   * {@code ab...}: the best of the requirements of its runs of exact parts and of its other parts, any
   * one of which is necessary on its own.
   */
  static Info concatenate(List<Info> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<Set<Lit>> candidates = new ArrayList<>();
    Set<Lit> run = Set.of(Lit.EMPTY);
    boolean allExact = true;
    for (Info part : parts) {
      if (part.exact != null) {
        Set<Lit> product = product(run, part.exact);
        if (product != null) {
          run = product;
        } else {
          allExact = false;
          candidates.add(run);
          run = part.exact;
        }
      } else {
        allExact = false;
        candidates.add(run);
        run = Set.of(Lit.EMPTY);
        if (part.required != null) {
          candidates.add(part.required);
        }
      }
    }
    if (allExact) {
      return exactly(run);
    }
    candidates.add(run);
    Set<Lit> best = null;
    for (Set<Lit> c : candidates) {
      if (better(c, best)) {
        best = c;
      }
    }
    return requiring(best);
  }

  /** Every string of {@code a} followed by every string of {@code b}, or {@code null} if too many or long. */
  private static Set<Lit> product(Set<Lit> a, Set<Lit> b) {
    if ((long) a.size() * b.size() > Prefilter.MAX_LITERALS) {
      return null;
    }
    Set<Lit> out = new LinkedHashSet<>();
    for (Lit x : a) {
      for (Lit y : b) {
        if (x.text.length() + y.text.length() > Prefilter.MAX_LENGTH) {
          return null;
        }
        out.add(x.then(y));
      }
    }
    return out;
  }

  /** Whether requiring one of {@code c} filters more than requiring one of {@code best}. */
  private static boolean better(Set<Lit> c, Set<Lit> best) {
    int shortest = shortest(c);
    if (shortest == 0) {
      return false;
    }
    if (best == null) {
      return true;
    }
    int bestShortest = shortest(best);
    return shortest > bestShortest || shortest == bestShortest && c.size() < best.size();
  }

  private static int shortest(Set<Lit> set) {
    int min = Integer.MAX_VALUE;
    for (Lit lit : set) {
      min = Math.min(min, lit.text.length());
    }
    return min;
  }
}
