package io.gatehouse.core.rules.expr;

import io.gatehouse.core.rules.expr.Syntax.Bare;
import io.gatehouse.core.rules.expr.Syntax.Call;
import io.gatehouse.core.rules.expr.Syntax.Comma;
import io.gatehouse.core.rules.expr.Syntax.Comparison;
import io.gatehouse.core.rules.expr.Syntax.Field;
import io.gatehouse.core.rules.expr.Syntax.Index;
import io.gatehouse.core.rules.expr.Syntax.ListRef;
import io.gatehouse.core.rules.expr.Syntax.Logical;
import io.gatehouse.core.rules.expr.Syntax.Malformed;
import io.gatehouse.core.rules.expr.Syntax.Not;
import io.gatehouse.core.rules.expr.Syntax.Operand;
import io.gatehouse.core.rules.expr.Syntax.Quantifier;
import io.gatehouse.core.rules.expr.Syntax.Quoted;
import io.gatehouse.core.rules.expr.Syntax.SetOf;
import io.gatehouse.core.rules.expr.Syntax.Star;
import io.gatehouse.core.rules.expr.Syntax.Stray;
import io.gatehouse.core.rules.expr.Syntax.Unfinished;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads an expression into its {@link Syntax} tree. It never fails: where the text stops making sense
 * it leaves a {@link Malformed} node and reads no further, so that the {@link Checker} can report the
 * first problem in reading order, whether of syntax or of meaning.
 *
 * <p>Grammar, loosest first (the levels of {@link LogicalOp}; {@code not} binds tighter than all):
 *
 * <pre>
 * logical(n) = not { op logical(level(op) + 1) }     for each op of level n or more
 * not        = ("not" | "!") not | primary
 * primary    = "(" logical(0) ")" | operand [ comparison-operator value ]
 * operand    = (field | function "(" arguments ")") { "[" ( "\"name\"" | index | "*" ) "]" }
 * value      = string | bare-word | "{" { string | bare-word } "}" | "$" list-name
 * </pre>
 *
 * <p>Two limits are enforced here rather than in the checker, because they bound the parser's own work:
 * the length of the source, checked before anything is read, and the nesting of parentheses, {@code not}
 * and calls, which bounds its recursion.
 *
 * <p>Not thread-safe; one per compilation.
 */
final class Parser {

  private final Lexer lx;
  private final Limits limits;
  private int depth;
  /** Set with the first {@link Malformed}, {@link Stray} or {@link Comma}: from there on, nothing is read. */
  private boolean stopped;

  private Parser(Lexer lexer, Limits limits) {
    this.lx = lexer;
    this.limits = limits;
  }

  static Syntax parse(Lexer lexer, Limits limits) {
    int length = lexer.src.length();
    if (length > limits.maxSource()) {
      int at = limits.maxSource();
      return new Malformed(at, at, "the expression has " + length + " characters; the limit is " + limits.maxSource());
    }
    return new Parser(lexer, limits).expression();
  }

  private Syntax expression() {
    lx.skipSpace();
    if (lx.atEnd()) {
      return malformed(0, "the expression is empty");
    }
    Syntax root = logical(0);
    if (stopped) {
      return root;
    }
    lx.skipSpace();
    if (lx.atEnd()) {
      return root;
    }
    if (lx.peek() == ')') {
      return unfinished(root, lx.pos, "unexpected ')' with no matching '('");
    }
    return unfinished(root, lx.pos, "unexpected " + lx.describe(lx.pos) + " after a complete condition; expected"
        + " 'and', 'or', 'xor' or the end of the expression" + Lexer.keywordHint(lx.identAt(lx.pos)));
  }

  // ---------------------------------------------------------------------------------------------------
  // Logical structure

  /**
   * A condition whose operators bind at {@code minLevel} or tighter: precedence climbing, one loop for
   * every level of {@link LogicalOp}. A run of one operator is one flat node; a looser operator ends it.
   */
  private Syntax logical(int minLevel) {
    Syntax left = not();
    while (!stopped) {
      int save = lx.pos;
      LogicalOp op = readLogical();
      if (op == null || op.level < minLevel) {
        lx.pos = save;
        break;
      }
      List<Syntax> parts = new ArrayList<>();
      parts.add(left);
      do {
        parts.add(logical(op.level + 1));
      } while (!stopped && accept(op));
      left = new Logical(op, parts);
    }
    return left;
  }

  /** The logical operator after the cursor, which moves past it; {@code null} if there is none. */
  private LogicalOp readLogical() {
    lx.skipSpace();
    for (LogicalOp op : LogicalOp.ALL) {
      if (lx.acceptSymbol(op.symbol) || lx.acceptKeyword(op.word)) {
        return op;
      }
    }
    return null;
  }

  private boolean accept(LogicalOp op) {
    int save = lx.pos;
    if (readLogical() == op) {
      return true;
    }
    lx.pos = save;
    return false;
  }

  private Syntax not() {
    lx.skipSpace();
    int at = lx.pos;
    if (lx.acceptKeyword("not") || lx.peek() == '!' && lx.peek(1) != '=' && lx.acceptSymbol("!")) {
      return new Not(at, nested(at, this::not, tooDeep -> tooDeep));
    }
    return primary();
  }

  private Syntax primary() {
    lx.skipSpace();
    int at = lx.pos;
    if (lx.peek() == '(') {
      lx.pos++;
      return closed(nested(at, () -> logical(0), tooDeep -> tooDeep), "the '('", at);
    }
    Syntax operand = operand();
    if (stopped) {
      return operand;
    }
    int save = lx.pos;
    lx.skipSpace();
    int opStart = lx.pos;
    ComparisonOp op = readOperator();
    if (op == null && lx.peek() != '=') { // a lone '=' is a comparison written wrong, reported as such
      lx.pos = save;
      return operand;
    }
    return comparison((Operand) operand, opStart, op);
  }

  /** {@code inner}, then the {@code )} that closes {@code what} was opened at {@code at}. */
  private Syntax closed(Syntax inner, String what, int at) {
    if (stopped) {
      return inner;
    }
    lx.skipSpace();
    if (lx.peek() == ')') {
      lx.pos++;
      return inner;
    }
    String opened = what + " at col " + (at + 1);
    if (lx.atEnd()) {
      return unfinished(inner, lx.pos, "missing ')' to close " + opened);
    }
    return unfinished(inner, lx.pos, "expected 'and', 'or', 'xor' or ')' to close " + opened + ", found "
        + lx.describe(lx.pos) + Lexer.keywordHint(lx.identAt(lx.pos)));
  }

  /**
   * What {@code inner} reads one level of nesting deeper, which starts at {@code at}; past the limit, what
   * {@code tooDeep} makes of the problem instead.
   */
  private <T> T nested(int at, Supplier<T> inner, Function<Malformed, T> tooDeep) {
    if (depth >= limits.maxDepth()) {
      return tooDeep.apply(malformed(at, "the expression nests deeper than " + limits.maxDepth() + " levels"));
    }
    depth++;
    T read = inner.get();
    depth--;
    return read;
  }

  // ---------------------------------------------------------------------------------------------------
  // Operands: fields, function calls, indexes

  private Syntax operand() {
    lx.skipSpace();
    int start = lx.pos;
    String ident = lx.atStringStart() ? null : lx.readIdent();
    if (ident == null || Lexer.KEYWORDS.contains(ident)) {
      return malformed(start, "expected a field, a function or '(', found " + lx.describe(start)
          + Lexer.keywordHint(lx.identAt(start)));
    }
    int afterIdent = lx.pos;
    lx.skipSpace();
    Operand operand;
    if (ident.indexOf('.') < 0 && lx.peek() == '(') {
      lx.pos++;
      operand = call(ident, start);
      if (stopped) {
        return operand;
      }
    } else {
      lx.pos = afterIdent;
      operand = new Field(start, ident);
    }
    return indexes(operand);
  }

  /** The rest of {@code name(}: a condition for {@code any} and {@code all}, arguments for any other name. */
  private Operand call(String name, int start) {
    if (name.equals("any") || name.equals("all")) {
      Syntax condition = nested(start, () -> logical(0), tooDeep -> tooDeep);
      return new Quantifier(start, name, closed(condition, name + "(", start), lx.pos);
    }
    List<Syntax> arguments = nested(start, () -> arguments(name, start), tooDeep -> List.of(tooDeep));
    return new Call(start, name, arguments, lx.pos);
  }

  private List<Syntax> arguments(String name, int start) {
    List<Syntax> arguments = new ArrayList<>();
    lx.skipSpace();
    if (lx.peek() == ')') {
      lx.pos++;
      return arguments;
    }
    while (true) {
      lx.skipSpace();
      int at = lx.pos;
      Syntax argument;
      if (lx.atStringStart()) {
        argument = quoted(false);
      } else if (Lexer.isIdentStart(lx.peek()) && !Lexer.KEYWORDS.contains(lx.identAt(at))) {
        argument = operand();
      } else if (lx.peek() >= '0' && lx.peek() <= '9' || lx.peek() == '-') {
        argument = bare();
      } else {
        argument = stray(at);
      }
      arguments.add(argument);
      if (stopped) {
        return arguments;
      }
      lx.skipSpace();
      if (lx.peek() == ',') {
        lx.pos++;
        continue;
      }
      if (lx.peek() == ')') {
        lx.pos++;
        return arguments;
      }
      String problem = lx.atEnd() ? "missing ')' to close " + name + "( at col " + (start + 1)
          : "expected ',' or ')' after an argument of " + name + "(), found " + lx.describe(lx.pos);
      arguments.set(arguments.size() - 1, unfinished(argument, lx.pos, problem));
      return arguments;
    }
  }

  private Operand indexes(Operand operand) {
    while (!stopped) {
      int save = lx.pos;
      lx.skipSpace();
      if (lx.peek() != '[') {
        lx.pos = save;
        break;
      }
      int open = lx.pos;
      lx.pos++;
      lx.skipSpace();
      int keyAt = lx.pos;
      Syntax key;
      if (lx.peek() == '*') {
        lx.pos++;
        key = new Star(keyAt);
      } else if (lx.atStringStart()) {
        key = quoted(false);
      } else {
        String w = lx.wordAt(keyAt);
        if (Lexer.isInteger(w)) {
          lx.pos += w.length();
          key = new Bare(keyAt, w);
        } else {
          key = malformed(keyAt, "expected a header name in quotes, an index or '*' inside [...], found "
              + lx.describe(keyAt));
        }
      }
      if (!stopped) {
        lx.skipSpace();
        if (lx.peek() == ']') {
          lx.pos++;
        } else {
          key = unfinished(key, lx.pos, "expected ']' to close the '[' at col " + (open + 1) + ", found "
              + lx.describe(lx.pos));
        }
      }
      operand = new Index(operand, open, key, lx.pos);
    }
    return operand;
  }

  // ---------------------------------------------------------------------------------------------------
  // Comparisons and values

  /** The comparison operator at the cursor, which moves past it; {@code null}, the cursor unmoved, if none is there. */
  private ComparisonOp readOperator() {
    if (ComparisonOp.SYMBOL_STARTS.indexOf(lx.peek()) >= 0 && !(lx.peek() == '&' && lx.peek(1) == '&')) {
      for (ComparisonOp op : ComparisonOp.BY_SYMBOL) {
        if (lx.acceptSymbol(op.symbol)) {
          return op;
        }
      }
    }
    for (ComparisonOp op : ComparisonOp.ALL) {
      if (lx.acceptKeyword(op.word)) {
        return op;
      }
    }
    return null;
  }

  /** {@code left}, then the operator {@code op} read at {@code opStart} ({@code null} for a lone {@code =}). */
  private Comparison comparison(Operand left, int opStart, ComparisonOp op) {
    if (op == null) {
      return new Comparison(left, opStart, null, null,
          malformed(opStart, "'=' is not an operator; use 'eq' or '=='"));
    }
    if (op == ComparisonOp.STRICT_WILDCARD) {
      lx.skipSpace();
      if (!lx.acceptKeyword(ComparisonOp.WILDCARD.word)) {
        return new Comparison(left, opStart, null, null,
            malformed(lx.pos, "expected 'wildcard' after 'strict', found " + lx.describe(lx.pos)));
      }
    }
    String spelling = op == ComparisonOp.STRICT_WILDCARD ? "strict wildcard" : lx.src.substring(opStart, lx.pos);
    lx.skipSpace();
    return new Comparison(left, opStart, op, spelling, value(op == ComparisonOp.MATCHES));
  }

  /** Whatever value stands at the cursor; what it must be depends on the left side, which the checker knows. */
  private Syntax value(boolean regex) {
    int at = lx.pos;
    if (lx.atStringStart()) {
      return quoted(regex);
    }
    if (lx.peek() == '{') {
      return set();
    }
    if (lx.peek() == '$') {
      String name = lx.listNameAt(at + 1);
      lx.pos = at + 1 + name.length();
      return new ListRef(at, name);
    }
    return bare();
  }

  private Syntax set() {
    int open = lx.pos;
    lx.pos++;
    List<Syntax> elements = new ArrayList<>();
    while (true) {
      lx.skipSpace();
      int at = lx.pos;
      if (lx.atEnd()) {
        return new SetOf(open, elements,
            malformed(at, "the set opened at col " + (open + 1) + " is not closed with '}'"));
      }
      if (lx.peek() == '}') {
        lx.pos++;
        return new SetOf(open, elements, null);
      }
      if (lx.peek() == ',') {
        stopped = true;
        elements.add(new Comma(at));
        return new SetOf(open, elements, null);
      }
      Syntax element = lx.atStringStart() ? quoted(false) : bare();
      int after = lx.pos;
      if (element instanceof Bare && after < lx.src.length() && !isSetBoundary(lx.src.charAt(after))) {
        element = unfinished(element, after, "expected a space or '}' after a set element, found "
            + lx.describe(after));
      }
      elements.add(element);
      if (stopped) {
        return new SetOf(open, elements, null);
      }
    }
  }

  private static boolean isSetBoundary(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '}' || c == ',';
  }

  private Syntax quoted(boolean regex) {
    int start = lx.pos;
    try {
      Lexer.Literal lit = regex ? lx.readRegex() : lx.readString();
      return new Quoted(start, lit.end(), lit.value());
    } catch (ExpressionException e) {
      stopped = true;
      return new Malformed(start, e.column() - 1, e.problem());
    }
  }

  /** A value without quotes at the cursor, or a {@link Stray} where none can start. */
  private Syntax bare() {
    int at = lx.pos;
    if (lx.atEnd() || !Lexer.isWordPart(lx.peek())) {
      stopped = true;
      return new Stray(at);
    }
    String w = lx.wordAt(at);
    lx.pos += w.length();
    return new Bare(at, w);
  }

  private Stray stray(int at) {
    stopped = true;
    return new Stray(at);
  }

  private Malformed malformed(int at, String problem) {
    stopped = true;
    return new Malformed(at, at, problem);
  }

  private Unfinished unfinished(Syntax node, int at, String problem) {
    return new Unfinished(node, malformed(at, problem));
  }
}
