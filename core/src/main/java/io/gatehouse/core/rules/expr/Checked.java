package io.gatehouse.core.rules.expr;

import com.google.re2j.Pattern;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.util.List;
import java.util.Set;

/**
 * The checked tree: what the {@link Checker} makes of a {@link Syntax} tree that holds no mistake. Every
 * name is resolved, every literal parsed into the value it stands for (a regular expression compiled, a
 * set built, a list looked up), and every node has the one type its place allows, so the
 * {@link Compiler} only chooses evaluation nodes and reports nothing.
 */
sealed interface Checked {

  /** A condition. */
  sealed interface Cond extends Checked {}

  /** A value: a String, an Integer, an IP or an Array, by its kind. */
  sealed interface Value extends Checked {}

  // ---------------------------------------------------------------------------------------------------
  // Values

  /** A field from {@link Fields}; a Boolean field is a condition too. */
  record Field(Fields.Field field) implements Value, Cond {}

  /** The values of one header, by its lower-case name: an Array. */
  record Header(String name) implements Value {}

  /** The values of one key of a map other than the headers ({@code http.request.cookies["a"]}): an Array. */
  record MapKey(Value map, String key) implements Value {}

  /** One value of an array, by its index: a String, or an Array for an Array of Arrays. */
  record Element(Value array, int index) implements Value {}

  /** An Array of Arrays seen as an Array of its elements, for {@code len()}, which counts them. */
  record Outer(Value arrays) implements Value {}

  /** A literal argument of a function: a {@code String} or a {@code Long}. */
  record Literal(Object value) implements Value {}

  /**
   * A call of one of {@link FunctionChecker}'s functions: its name, its arguments, and what the checker
   * prepared once for it ({@code data}: a compiled pattern, a key). A Boolean call is a condition too.
   */
  record Call(String function, Type type, List<Checked> arguments, Object data) implements Value, Cond {}

  /** The element that the enclosing {@code any()} or {@code all()} with this slot is looking at: a String. */
  record Each(int slot) implements Value {}

  /** {@code lower(argument)} or {@code upper(argument)}: a String. */
  record Convert(Value argument, boolean upper) implements Value {}

  /** {@code url_decode(argument, options)}: a String. */
  record Decode(Value argument, boolean recursive, boolean unicode) implements Value {}

  /** {@code len(argument)} of a String or, when {@code ofArray}, of an Array: an Integer. */
  record Length(Value argument, boolean ofArray) implements Value {}

  // ---------------------------------------------------------------------------------------------------
  // Conditions

  record Logical(LogicalOp op, List<Cond> parts) implements Cond {}

  record Not(Cond operand) implements Cond {}

  /**
   * {@code any()} ({@code all} false) or {@code all()} over {@code array}. {@code slot} is where the
   * predicate finds the element, and {@code slots} how many slots an evaluation needs from here on.
   */
  record Quantifier(Value array, boolean ofArrays, int slot, int slots, Cond predicate, boolean all) implements Cond {}

  /** {@code starts_with(value, affix)}, or {@code ends_with} when {@code atEnd}. */
  record Affix(Value value, String affix, boolean atEnd) implements Cond {}

  /** A String compared with a literal by {@code eq ne lt le gt ge} or {@code contains}. */
  record StringComparison(Value left, ComparisonOp op, String literal) implements Cond {}

  /** {@code left matches regex}. */
  record Matches(Value left, String regex, Pattern pattern) implements Cond {}

  /** {@code left wildcard pattern}, or {@code strict wildcard} when {@code strict}. */
  record WildcardMatch(Value left, Wildcard pattern, boolean strict) implements Cond {}

  /** A String in a set or a list of strings. */
  record StringIn(Value left, Set<String> values) implements Cond {}

  /** An Integer compared with a literal by {@code eq ne lt le gt ge}. */
  record IntegerComparison(Value left, ComparisonOp op, long literal) implements Cond {}

  /** An Integer in a set of integers and ranges. */
  record IntegerIn(Value left, IntRanges ranges) implements Cond {}

  /** An Integer in a list of AS numbers. */
  record IntegerInList(Value left, Set<Long> list) implements Cond {}

  /** An IP compared with an address by {@code eq ne lt le gt ge}. */
  record IpComparison(Value left, ComparisonOp op, IpAddress literal) implements Cond {}

  /** An IP in a set of addresses, networks and ranges, or in a list of them. */
  record IpIn(Value left, IntervalIndex<Boolean> set) implements Cond {}
}
