package io.gatehouse.core.rules.expr;

import java.util.List;

/**
 * The syntax tree: what the {@link Parser} read, with nothing resolved. Names are as written, known or
 * not; literals are their text; types, fields, functions and limits are the {@link Checker}'s business.
 *
 * <p>Every node knows where its text starts, as an offset into the source (the column an error there
 * reports, less one), and an {@link Operand} where it ends, since messages quote operands.
 *
 * <p>The tree is total. Where the text stops making sense, the parser leaves a {@link Malformed} node,
 * or an {@link Unfinished} one around what it had read whole, and reads no further. The checker walks
 * the tree in reading order and reports the first problem it meets, a wrong type or a broken syntax
 * alike: a message is always about the first thing wrong in the text, and a syntax error late in an
 * expression never hides a mistake earlier in it.
 *
 * <p>Some text has no meaning without a type. After a comparison operator the parser reads whatever
 * value stands there ({@link Quoted}, {@link Bare}, {@link SetOf}, {@link ListRef}) without knowing what
 * the left side needs, and where no value can start it leaves a {@link Stray}: only the checker can say
 * what was expected instead.
 */
sealed interface Syntax {

  /** Where the node's text starts: an offset into the source. */
  int start();

  /** A field, a function call, an {@code any()} or {@code all()}, or one of those indexed. */
  sealed interface Operand extends Syntax {
    /** Where the operand's text ends: the offset just past it. */
    int end();
  }

  // ---------------------------------------------------------------------------------------------------
  // Conditions

  /** Two or more conditions joined by one operator, so that a long chain is one flat node. */
  record Logical(LogicalOp op, List<Syntax> parts) implements Syntax {
    @Override
    public int start() {
      return parts.get(0).start();
    }
  }

  /** {@code not x} or {@code !x}. */
  record Not(int start, Syntax operand) implements Syntax {}

  /**
   * {@code left op right}. {@code spelling} is the operator as written ({@code eq}, {@code ==},
   * {@code strict wildcard}), which messages repeat. When the operator could not be read, {@code op} and
   * {@code spelling} are {@code null} and {@code right} is the {@link Malformed} that says why.
   */
  record Comparison(Operand left, int opStart, ComparisonOp op, String spelling, Syntax right) implements Syntax {
    @Override
    public int start() {
      return left.start();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Operands

  /** A name written without a call: a field, if it is one. */
  record Field(int start, String name) implements Operand {
    @Override
    public int end() {
      return start + name.length();
    }
  }

  /**
   * {@code name(arguments)}. Arguments are operands or {@link Quoted} strings; where one cannot start, a
   * {@link Stray}.
   */
  record Call(int start, String name, List<Syntax> arguments, int end) implements Operand {}

  /** {@code any(condition)} or {@code all(condition)}. */
  record Quantifier(int start, String name, Syntax condition, int end) implements Operand {}

  /** {@code target[key]}, its {@code [} at {@code open}; the key is {@link Quoted}, {@link Bare} or {@link Star}. */
  record Index(Operand target, int open, Syntax key, int end) implements Operand {
    @Override
    public int start() {
      return target.start();
    }
  }

  /** The key {@code *} of {@code [*]}. */
  record Star(int start) implements Syntax {}

  // ---------------------------------------------------------------------------------------------------
  // Values

  /** A string literal, quoted or raw, with its escapes resolved; {@code end} is just past its closing quote. */
  record Quoted(int start, int end, String value) implements Syntax {}

  /** A value written without quotes: an integer, a range, an address or a network, read but not yet parsed. */
  record Bare(int start, String text) implements Syntax {}

  /**
   * A set {@code {...}} and the elements read, in order. {@code unclosed} is the problem when the text
   * ended before the set did; otherwise, a set that stops early ends with the element that stopped it.
   */
  record SetOf(int start, List<Syntax> elements, Malformed unclosed) implements Syntax {}

  /** {@code $name}; the name is empty when none follows the {@code $}. */
  record ListRef(int start, String name) implements Syntax {}

  /** A comma between set elements, which Cloudflare's syntax does not use. */
  record Comma(int start) implements Syntax {}

  /** A character that can start no value, where a value was due. */
  record Stray(int start) implements Syntax {}

  // ---------------------------------------------------------------------------------------------------
  // Where the text stops making sense

  /**
   * Text that breaks the grammar. {@code start} is where the construct being read began (so that a
   * checker that wanted something else there can say what it found), {@code at} where the problem is.
   */
  record Malformed(int start, int at, String problem) implements Syntax {
    ExpressionException exception() {
      return Lexer.error(at, problem);
    }
  }

  /** {@code node}, read whole, and then text that breaks the grammar. */
  record Unfinished(Syntax node, Malformed next) implements Syntax {
    @Override
    public int start() {
      return node.start();
    }
  }
}
