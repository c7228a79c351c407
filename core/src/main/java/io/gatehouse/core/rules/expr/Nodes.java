package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IpAddress;
import java.util.List;
import java.util.Map;

/**
 * The shapes of compiled code: small functions from one evaluation to a value. A compiled expression is
 * a tree of these, built once by the {@link Compiler}; evaluating it walks no syntax tree and makes no
 * decision that compile time could make.
 *
 * <p>Nodes take the {@link Expression.Context} itself, so evaluating an expression allocates nothing of its
 * own; only the condition inside {@code any()} or {@code all()} receives an {@link Iteration}.
 *
 * <p>A missing value (an absent header, an index past the end, a null from the context) is {@code null}
 * for references and {@link #MISSING} for integers; every comparison on a missing value is false.
 */
final class Nodes {

  /** The integer that stands for a missing value; no literal or field can produce it. */
  static final long MISSING = Long.MIN_VALUE;

  private Nodes() {}

  /** A condition. */
  @FunctionalInterface
  interface Cond {
    boolean test(Expression.Context c);
  }

  /** A String value, or {@code null} when missing. */
  @FunctionalInterface
  interface Str {
    String get(Expression.Context c);
  }

  /** An Integer value, or {@link #MISSING}. */
  @FunctionalInterface
  interface Int {
    long get(Expression.Context c);
  }

  /** An IP value, or {@code null} when missing or unknown. */
  @FunctionalInterface
  interface Ip {
    IpAddress get(Expression.Context c);
  }

  /** An array of strings, or {@code null} when missing (an absent header). */
  @FunctionalInterface
  interface Arr extends Seq {
    @Override
    List<String> get(Expression.Context c);
  }

  /** An array of arrays of strings, or {@code null} when missing. */
  @FunctionalInterface
  interface Arrs extends Seq {
    @Override
    List<List<String>> get(Expression.Context c);
  }

  /** An array of any element type, as {@code any()} and {@code all()} iterate it, or {@code null} when missing. */
  @FunctionalInterface
  interface Seq {
    List<?> get(Expression.Context c);
  }

  /** A map from names to arrays of strings, or {@code null} when missing. */
  @FunctionalInterface
  interface Mp {
    Map<String, List<String>> get(Expression.Context c);
  }
}
