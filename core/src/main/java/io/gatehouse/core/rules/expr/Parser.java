package io.gatehouse.core.rules.expr;

import com.google.re2j.Pattern;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.Lexer.Literal;
import io.gatehouse.core.rules.expr.Nodes.Arr;
import io.gatehouse.core.rules.expr.Nodes.Cond;
import io.gatehouse.core.rules.expr.Nodes.Int;
import io.gatehouse.core.rules.expr.Nodes.Ip;
import io.gatehouse.core.rules.expr.Nodes.Str;
import io.gatehouse.core.rules.expr.prefilter.Prefilter;
import io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses, type-checks and compiles an expression in one pass: each construct is checked as it is read
 * and turned at once into the {@link Nodes} that evaluate it, so no syntax tree outlives the parse.
 *
 * <p>Grammar, loosest first (as wirefilter: {@code not} binds tighter than {@code and}, then {@code xor},
 * then {@code or}):
 *
 * <pre>
 * or         = xor { ("or" | "||") xor }
 * xor        = and { ("xor" | "^^") and }
 * and        = not { ("and" | "&amp;&amp;") not }
 * not        = ("not" | "!") not | primary
 * primary    = "(" or ")" | operand [ comparison-operator right-side ]
 * operand    = (field | function "(" arguments ")") { "[" ( "\"name\"" | index | "*" ) "]" }
 * </pre>
 *
 * <p>Not thread-safe; one per compilation.
 */
final class Parser {

  private static final Set<String> KEYWORDS = Set.of("and", "or", "xor", "not", "eq", "ne", "lt", "le", "gt",
      "ge", "contains", "matches", "wildcard", "strict", "in");
  private static final List<String> FUNCTIONS =
      List.of("any", "all", "lower", "upper", "len", "starts_with", "ends_with", "url_decode");

  /** A comparison operator. */
  private enum Op {
    EQ, NE, LT, LE, GT, GE, CONTAINS, MATCHES, WILDCARD, STRICT_WILDCARD, IN
  }

  /**
   * A value on the left of a comparison or inside a function call: its type, the node computing it, its
   * source span, whether it is one element of an array iterated by {@code any()}/{@code all()}, and,
   * for a header array, the identity {@code [*]} uses to tell arrays apart.
   */
  private record Operand(Type type, Object node, int start, int end, boolean mapped, String arrayKey,
      Caseless caseless) {

    Operand(Type type, Object node, int start, int end, boolean mapped, String arrayKey) {
      this(type, node, start, end, mapped, arrayKey, null);
    }
  }

  /** Marks an operand that is {@code lower(argument)} or {@code upper(argument)}. */
  private record Caseless(Str argument, boolean upper) {}

  /** One {@code any()} or {@code all()} being parsed: its slot and the array its {@code [*]} iterates. */
  private static final class Scope {
    final String function;
    final int slot;
    Arr array;
    String arrayKey;
    String arrayText;

    Scope(String function, int slot) {
      this.function = function;
      this.slot = slot;
    }
  }

  /** What a successful parse produces. */
  record Result(Cond root, Set<String> fields) {}

  private final Lexer lx;
  private final NamedLists lists;
  private final Limits limits;
  private final Set<String> fields = new TreeSet<>();
  private final Deque<Scope> scopes = new ArrayDeque<>();
  private int depth;
  private int slotCount;

  private Parser(String source, NamedLists lists, Limits limits) {
    this.lx = new Lexer(source);
    this.lists = lists;
    this.limits = limits;
  }

  static Result parse(String source, NamedLists lists, Limits limits) throws ExpressionException {
    if (source.length() > limits.maxSource()) {
      throw new ExpressionException(limits.maxSource() + 1, "the expression has " + source.length()
          + " characters; the limit is " + limits.maxSource());
    }
    Parser p = new Parser(source, lists, limits);
    Lexer lx = p.lx;
    lx.skipSpace();
    if (lx.atEnd()) {
      throw lx.error(0, "the expression is empty");
    }
    Cond root = p.parseOr();
    lx.skipSpace();
    if (!lx.atEnd()) {
      if (lx.peek() == ')') {
        throw lx.error(lx.pos, "unexpected ')' with no matching '('");
      }
      throw lx.error(lx.pos, "unexpected " + lx.describe(lx.pos) + " after a complete condition; expected 'and',"
          + " 'or', 'xor' or the end of the expression" + keywordHint(lx.identAt(lx.pos)));
    }
    return new Result(root, Collections.unmodifiableSet(p.fields));
  }

  // ---------------------------------------------------------------------------------------------------
  // Logical structure

  private Cond parseOr() throws ExpressionException {
    List<Cond> parts = new ArrayList<>();
    parts.add(parseXor());
    while (acceptLogical("or", "||")) {
      parts.add(parseXor());
    }
    return Conditions.or(parts);
  }

  private Cond parseXor() throws ExpressionException {
    List<Cond> parts = new ArrayList<>();
    parts.add(parseAnd());
    while (acceptLogical("xor", "^^")) {
      parts.add(parseAnd());
    }
    return Conditions.xor(parts);
  }

  private Cond parseAnd() throws ExpressionException {
    List<Cond> parts = new ArrayList<>();
    parts.add(parseNot());
    while (acceptLogical("and", "&&")) {
      parts.add(parseNot());
    }
    return Conditions.and(parts);
  }

  private boolean acceptLogical(String word, String symbol) {
    int save = lx.pos;
    lx.skipSpace();
    if (lx.acceptSymbol(symbol) || lx.acceptKeyword(word)) {
      return true;
    }
    lx.pos = save;
    return false;
  }

  private Cond parseNot() throws ExpressionException {
    lx.skipSpace();
    int at = lx.pos;
    if (lx.acceptKeyword("not") || lx.peek() == '!' && lx.peek(1) != '=' && lx.acceptSymbol("!")) {
      enter(at);
      Cond inner = parseNot();
      depth--;
      return Conditions.not(inner);
    }
    return parsePrimary();
  }

  private Cond parsePrimary() throws ExpressionException {
    lx.skipSpace();
    int at = lx.pos;
    if (lx.peek() == '(') {
      lx.pos++;
      enter(at);
      Cond inner = parseOr();
      lx.skipSpace();
      if (lx.peek() != ')') {
        if (lx.atEnd()) {
          throw lx.error(lx.pos, "missing ')' to close the '(' at col " + (at + 1));
        }
        throw lx.error(lx.pos, "expected 'and', 'or', 'xor' or ')' to close the '(' at col " + (at + 1)
            + ", found " + lx.describe(lx.pos) + keywordHint(lx.identAt(lx.pos)));
      }
      lx.pos++;
      depth--;
      return inner;
    }
    Operand lhs = parseOperand();
    if (lhs.type == Type.BOOLEAN) {
      int save = lx.pos;
      lx.skipSpace();
      if (startsComparison()) {
        String text = text(lhs);
        throw lx.error(lx.pos, text + " is a Boolean and takes no operator; write " + text + " or not " + text);
      }
      lx.pos = save;
      return (Cond) lhs.node;
    }
    return parseComparison(lhs);
  }

  private void enter(int at) throws ExpressionException {
    if (++depth > limits.maxDepth()) {
      throw lx.error(at, "the expression nests deeper than " + limits.maxDepth() + " levels");
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Operands: fields, function calls, indexes

  private Operand parseOperand() throws ExpressionException {
    lx.skipSpace();
    int start = lx.pos;
    String ident = lx.atStringStart() ? null : lx.readIdent();
    if (ident == null || KEYWORDS.contains(ident)) {
      throw lx.error(start, "expected a field, a function or '(', found " + lx.describe(start)
          + keywordHint(lx.identAt(start)));
    }
    int afterIdent = lx.pos;
    lx.skipSpace();
    Operand operand;
    if (ident.indexOf('.') < 0 && lx.peek() == '(') {
      operand = parseCall(ident, start);
    } else {
      lx.pos = afterIdent;
      operand = field(ident, start);
    }
    return parseIndexes(operand);
  }

  private Operand field(String name, int start) throws ExpressionException {
    Fields.Field f = Fields.get(name);
    if (f == null) {
      if (FUNCTIONS.contains(name)) {
        throw lx.error(start, "'" + name + "' is a function; call it as " + name + "(...)");
      }
      String suggestion = Fields.suggest(name, Fields.names());
      throw lx.error(start, "unknown field '" + name + "'"
          + (suggestion == null ? keywordHint(name) : "; did you mean '" + suggestion + "'?"));
    }
    fields.add(f.name());
    return new Operand(f.type(), f.node(), start, lx.pos, false, null);
  }

  private Operand parseIndexes(Operand operand) throws ExpressionException {
    while (true) {
      int save = lx.pos;
      lx.skipSpace();
      if (lx.peek() != '[') {
        lx.pos = save;
        return operand;
      }
      int open = lx.pos;
      lx.pos++;
      lx.skipSpace();
      int keyAt = lx.pos;
      if (lx.peek() == '*') {
        lx.pos++;
        closeBracket(open);
        operand = star(operand, open);
      } else if (lx.atStringStart()) {
        Literal key = lx.readString(limits.maxString());
        closeBracket(open);
        if (operand.type != Type.MAP) {
          throw indexError(operand, open, keyAt);
        }
        String name = Text.lower(key.value());
        Arr values = e -> {
          List<String> list = e.header(name);
          return list == null || list.isEmpty() ? null : list;
        };
        operand = new Operand(Type.ARRAY, values, operand.start, lx.pos, false,
            Fields.HEADERS + "[\"" + name + "\"]");
      } else {
        String w = lx.wordAt(keyAt);
        if (!Lexer.isInteger(w)) {
          throw lx.error(keyAt, "expected a header name in quotes, an index or '*' inside [...], found "
              + lx.describe(keyAt));
        }
        lx.pos += w.length();
        closeBracket(open);
        if (operand.type != Type.ARRAY) {
          throw indexError(operand, open, keyAt);
        }
        if (w.startsWith("-")) {
          throw lx.error(keyAt, "an array index must be 0 or more, found " + w);
        }
        int index = w.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(w);
        Arr array = (Arr) operand.node;
        Str element = e -> {
          List<String> list = array.get(e);
          return list == null || index >= list.size() ? null : list.get(index);
        };
        operand = new Operand(Type.STRING, element, operand.start, lx.pos, operand.mapped, null);
      }
    }
  }

  private void closeBracket(int open) throws ExpressionException {
    lx.skipSpace();
    if (lx.peek() != ']') {
      throw lx.error(lx.pos, "expected ']' to close the '[' at col " + (open + 1) + ", found " + lx.describe(lx.pos));
    }
    lx.pos++;
  }

  private ExpressionException indexError(Operand operand, int open, int keyAt) {
    if (operand.type == Type.MAP) {
      return lx.error(keyAt, text(operand) + " is a Map; pick a header by its name in quotes, as in "
          + Fields.HEADERS + "[\"user-agent\"]");
    }
    if (operand.type == Type.ARRAY) {
      return lx.error(keyAt, text(operand) + " is an Array; index it with a number such as [0], or with [*] inside"
          + " any() or all(), not with " + lx.describe(keyAt));
    }
    return lx.error(open, text(operand) + " (" + operand.type.withArticle + ") cannot be indexed");
  }

  private Operand star(Operand operand, int open) throws ExpressionException {
    if (operand.mapped) {
      // Cloudflare writes lower(h[*])[*]: the function already applies to each element, so this [*] adds nothing.
      return new Operand(operand.type, operand.node, operand.start, lx.pos, true, null, operand.caseless);
    }
    if (operand.type != Type.ARRAY) {
      throw indexError(operand, open, open + 1);
    }
    Scope scope = scopes.peek();
    if (scope == null) {
      throw lx.error(open, "[*] can only be used inside any() or all(), as in any(" + text(operand)
          + "[*] eq \"...\")");
    }
    if (scope.arrayKey == null) {
      scope.arrayKey = operand.arrayKey;
      scope.array = (Arr) operand.node;
      scope.arrayText = text(operand);
    } else if (!scope.arrayKey.equals(operand.arrayKey)) {
      throw lx.error(operand.start, scope.function + "() iterates over one array, but this condition uses both "
          + scope.arrayText + " and " + text(operand));
    }
    int slot = scope.slot;
    // [*] is only read inside its quantifier, which always hands its condition an Iteration.
    Str element = e -> ((Iteration) e).slots[slot];
    return new Operand(Type.STRING, element, operand.start, lx.pos, true, null);
  }

  private Operand parseCall(String name, int start) throws ExpressionException {
    if (!FUNCTIONS.contains(name)) {
      String suggestion = Fields.suggest(name, FUNCTIONS);
      throw lx.error(start, "unknown function '" + name + "'"
          + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
    }
    lx.pos++;
    enter(start);
    Operand result = name.equals("any") || name.equals("all") ? parseQuantifier(name, start)
        : parseFunction(name, start);
    depth--;
    return result;
  }

  private Operand parseQuantifier(String name, int start) throws ExpressionException {
    Scope scope = new Scope(name, slotCount++);
    scopes.push(scope);
    Cond predicate = parseOr();
    scopes.pop();
    lx.skipSpace();
    if (lx.peek() != ')') {
      if (lx.atEnd()) {
        throw lx.error(lx.pos, "missing ')' to close " + name + "( at col " + (start + 1));
      }
      throw lx.error(lx.pos, "expected 'and', 'or', 'xor' or ')' to close " + name + "( at col " + (start + 1)
          + ", found " + lx.describe(lx.pos) + keywordHint(lx.identAt(lx.pos)));
    }
    lx.pos++;
    if (scope.array == null) {
      throw lx.error(start, name + "() takes a condition on the elements of an array, written with [*], as in "
          + name + "(http.request.headers[\"accept\"][*] contains \"json\")");
    }
    Cond node = Conditions.quantifier(scope.array, scope.slot, slotCount, predicate,
        name.equals("all"));
    return new Operand(Type.BOOLEAN, node, start, lx.pos, false, null);
  }

  private Operand parseFunction(String name, int start) throws ExpressionException {
    List<Object> args = new ArrayList<>();
    List<Integer> argStarts = new ArrayList<>();
    lx.skipSpace();
    if (lx.peek() == ')') {
      lx.pos++;
    } else {
      while (true) {
        lx.skipSpace();
        int at = lx.pos;
        argStarts.add(at);
        if (lx.atStringStart()) {
          args.add(lx.readString(limits.maxString()));
        } else if (Lexer.isIdentStart(lx.peek()) && !KEYWORDS.contains(lx.identAt(at))) {
          args.add(parseOperand());
        } else {
          throw lx.error(at, name + "() takes " + expectation(name, args.size()) + ", found " + lx.describe(at));
        }
        lx.skipSpace();
        if (lx.peek() == ',') {
          lx.pos++;
          continue;
        }
        if (lx.peek() == ')') {
          lx.pos++;
          break;
        }
        if (lx.atEnd()) {
          throw lx.error(lx.pos, "missing ')' to close " + name + "( at col " + (start + 1));
        }
        throw lx.error(lx.pos, "expected ',' or ')' after an argument of " + name + "(), found "
            + lx.describe(lx.pos));
      }
    }
    int min = name.equals("starts_with") || name.equals("ends_with") ? 2 : 1;
    int max = name.equals("url_decode") ? 2 : min;
    if (args.size() < min || args.size() > max) {
      String takes = min == max ? min + (min == 1 ? " argument" : " arguments") : min + " or " + max + " arguments";
      throw lx.error(start, name + "() takes " + takes + ", found " + args.size());
    }
    Operand arg = firstArgument(name, args.get(0), argStarts.get(0));
    switch (name) {
      case "lower", "upper" -> {
        Str s = (Str) arg.node;
        boolean lower = name.equals("lower");
        Str node = e -> {
          String v = s.get(e);
          return v == null ? null : lower ? Text.lower(v) : Text.upper(v);
        };
        return new Operand(Type.STRING, node, start, lx.pos, arg.mapped, null, new Caseless(s, !lower));
      }
      case "url_decode" -> {
        boolean recursive = false;
        boolean unicode = false;
        if (args.size() == 2) {
          Literal options = literalArgument(name, args.get(1), argStarts.get(1));
          for (char c : options.value().toCharArray()) {
            if (c != 'r' && c != 'u') {
              throw lx.error(options.start(), "url_decode() options are \"r\" (decode until nothing changes) and"
                  + " \"u\" (decode %uXXXX), found " + lx.shown(options.start(), options.end()));
            }
          }
          recursive = options.value().indexOf('r') >= 0;
          unicode = options.value().indexOf('u') >= 0;
        }
        Str s = (Str) arg.node;
        boolean r = recursive;
        boolean u = unicode;
        Str node = e -> {
          String v = s.get(e);
          return v == null ? null : DecodeCache.urlDecode(v, r, u);
        };
        return new Operand(Type.STRING, node, start, lx.pos, arg.mapped, null);
      }
      case "starts_with", "ends_with" -> {
        String affix = literalArgument(name, args.get(1), argStarts.get(1)).value();
        Cond node = name.equals("starts_with") ? startsWith(arg, affix) : endsWith(arg, affix);
        return new Operand(Type.BOOLEAN, node, start, lx.pos, arg.mapped, null);
      }
      default -> { // len
        Int node;
        if (arg.type == Type.ARRAY) {
          Arr a = (Arr) arg.node;
          node = e -> {
            List<String> v = a.get(e);
            return v == null ? Nodes.MISSING : v.size();
          };
        } else {
          Str s = (Str) arg.node;
          node = e -> {
            String v = s.get(e);
            return v == null ? Nodes.MISSING : Text.utf8Length(v);
          };
        }
        return new Operand(Type.INTEGER, node, start, lx.pos, arg.mapped, null);
      }
    }
  }

  private static String expectation(String function, int argIndex) {
    if (argIndex == 1) {
      return "a string literal as its second argument";
    }
    return function.equals("len") ? "a String or an Array" : "a String";
  }

  private Operand firstArgument(String name, Object arg, int at) throws ExpressionException {
    boolean len = name.equals("len");
    if (arg instanceof Literal lit) {
      throw lx.error(at, name + "() takes a field or a function of one, not a literal; found the string "
          + lx.shown(lit.start(), lit.end()));
    }
    Operand operand = (Operand) arg;
    boolean ok = operand.type == Type.STRING || len && operand.type == Type.ARRAY;
    if (!ok) {
      throw lx.error(at, name + "() takes " + (len ? "a String or an Array" : "a String") + ", found "
          + text(operand) + " (" + operand.type.withArticle + ")");
    }
    return operand;
  }

  private Literal literalArgument(String name, Object arg, int at) throws ExpressionException {
    if (arg instanceof Literal lit) {
      return lit;
    }
    throw lx.error(at, "the second argument of " + name + "() must be a string literal, found "
        + text((Operand) arg));
  }

  // ---------------------------------------------------------------------------------------------------
  // Comparisons

  private boolean startsComparison() {
    char c = lx.peek();
    if (c == '=' || c == '<' || c == '>' || c == '~' || c == '!' && lx.peek(1) == '=') {
      return true;
    }
    String word = lx.identAt(lx.pos);
    return KEYWORDS.contains(word) && !word.equals("and") && !word.equals("or") && !word.equals("xor")
        && !word.equals("not");
  }

  /** Reads a comparison operator, or returns {@code null} (the cursor unmoved) when none stands here. */
  private Op readOperator() throws ExpressionException {
    int at = lx.pos;
    if (lx.acceptSymbol("==")) {
      return Op.EQ;
    }
    if (lx.acceptSymbol("!=")) {
      return Op.NE;
    }
    if (lx.acceptSymbol("<=")) {
      return Op.LE;
    }
    if (lx.acceptSymbol(">=")) {
      return Op.GE;
    }
    if (lx.acceptSymbol("<")) {
      return Op.LT;
    }
    if (lx.acceptSymbol(">")) {
      return Op.GT;
    }
    if (lx.acceptSymbol("~")) {
      return Op.MATCHES;
    }
    if (lx.peek() == '=') {
      throw lx.error(at, "'=' is not an operator; use 'eq' or '=='");
    }
    String word = lx.identAt(at);
    Op op = switch (word) {
      case "eq" -> Op.EQ;
      case "ne" -> Op.NE;
      case "lt" -> Op.LT;
      case "le" -> Op.LE;
      case "gt" -> Op.GT;
      case "ge" -> Op.GE;
      case "contains" -> Op.CONTAINS;
      case "matches" -> Op.MATCHES;
      case "wildcard" -> Op.WILDCARD;
      case "in" -> Op.IN;
      case "strict" -> Op.STRICT_WILDCARD;
      default -> null;
    };
    if (op == null) {
      return null;
    }
    lx.pos += word.length();
    if (op == Op.STRICT_WILDCARD) {
      lx.skipSpace();
      if (!lx.acceptKeyword("wildcard")) {
        throw lx.error(lx.pos, "expected 'wildcard' after 'strict', found " + lx.describe(lx.pos));
      }
    }
    return op;
  }

  private Cond parseComparison(Operand lhs) throws ExpressionException {
    String lhsText = text(lhs);
    if (lhs.type == Type.ARRAY) {
      throw lx.error(lhs.start, lhsText + " is an Array; compare one value with " + lhsText + "[0], or every value"
          + " with " + lhsText + "[*] inside any() or all()");
    }
    if (lhs.type == Type.MAP) {
      throw lx.error(lhs.start, lhsText + " is a Map; pick a header by its name in quotes, as in " + Fields.HEADERS
          + "[\"user-agent\"][0]");
    }
    lx.skipSpace();
    int opAt = lx.pos;
    Op op = readOperator();
    if (op == null) {
      String word = lx.identAt(opAt);
      String hint = word.equals("not") ? "; write 'not' before the whole condition, as in not " + lhsText + " eq ..."
          : keywordHint(word);
      throw lx.error(opAt, "expected a comparison operator after " + lhsText + " (" + lhs.type.withArticle
          + "), found " + lx.describe(opAt) + hint);
    }
    String opText = lx.src.substring(opAt, lx.pos);
    if (op == Op.STRICT_WILDCARD) {
      opText = "strict wildcard";
    }
    boolean stringOnly = op == Op.CONTAINS || op == Op.MATCHES || op == Op.WILDCARD || op == Op.STRICT_WILDCARD;
    if (stringOnly && lhs.type != Type.STRING) {
      String hint = lhs.type == Type.IP ? "; use 'in' or 'eq'" : "; use 'eq', 'ne', 'lt', 'le', 'gt', 'ge' or 'in'";
      throw lx.error(opAt, "operator '" + opText + "' does not apply to " + lhsText + " ("
          + lhs.type.withArticle + ")" + hint);
    }
    lx.skipSpace();
    return switch (lhs.type) {
      case STRING -> stringComparison(lhs, op, opText);
      case INTEGER -> integerComparison(lhs, op, opText);
      default -> ipComparison(lhs, op, opText);
    };
  }

  /** {@link Lexer#describe} for the right side of a comparison, with a hint when it names a field. */
  private String describeValue(int at, Type expected) {
    String found = lx.describe(at);
    if (found.startsWith("the field ")) {
      return found + " (the right side of a comparison must be a literal)";
    }
    if (lx.atStringStart() && expected != Type.STRING) {
      try {
        int save = lx.pos;
        String value = lx.readString(Integer.MAX_VALUE).value();
        lx.pos = save;
        boolean unquoted = expected == Type.INTEGER ? Lexer.isInteger(value) : IpAddress.tryParse(value) != null;
        if (unquoted) {
          return found + "; write it without quotes";
        }
      } catch (ExpressionException e) {
        return found;
      }
    }
    return found;
  }

  private Cond stringComparison(Operand lhs, Op op, String opText) throws ExpressionException {
    int at = lx.pos;
    Str s = (Str) lhs.node;
    if (op == Op.IN) {
      return stringIn(lhs, s, opText);
    }
    if (!lx.atStringStart()) {
      throw lx.error(at, "expected a String after '" + opText + "', found " + describeValue(at, Type.STRING));
    }
    Literal lit = op == Op.MATCHES ? lx.readRegex(limits.maxString()) : lx.readString(limits.maxString());
    String k = lit.value();
    switch (op) {
      case EQ:
        return equal(lhs, k, false);
      case NE:
        return equal(lhs, k, true);
      case LT:
        return e -> {
          String v = s.get(e);
          return v != null && Text.compare(v, k) < 0;
        };
      case LE:
        return e -> {
          String v = s.get(e);
          return v != null && Text.compare(v, k) <= 0;
        };
      case GT:
        return e -> {
          String v = s.get(e);
          return v != null && Text.compare(v, k) > 0;
        };
      case GE:
        return e -> {
          String v = s.get(e);
          return v != null && Text.compare(v, k) >= 0;
        };
      case CONTAINS:
        return contains(lhs, k);
      case MATCHES: {
        Pattern pattern;
        try {
          pattern = Prefilter.compileRegex(k, limits.maxRegex(), limits.maxRegexProgram());
        } catch (IllegalArgumentException ex) {
          throw lx.error(lit.start(), ex.getMessage());
        }
        Prefilter required = Prefilter.of(k);
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
      default: {
        Wildcard wildcard;
        try {
          wildcard = Wildcard.compile(k, op == Op.STRICT_WILDCARD);
        } catch (IllegalArgumentException ex) {
          throw lx.error(lit.start(), ex.getMessage());
        }
        // wildcard ignores the case of ASCII letters already, so lower(x) and upper(x) match as x does.
        Str value = op == Op.WILDCARD && lhs.caseless != null ? lhs.caseless.argument : s;
        return e -> {
          String v = value.get(e);
          return v != null && wildcard.matches(v);
        };
      }
    }
  }

  // A comparison of lower(x) or upper(x) with a literal that such a result can equal or contain reads x
  // and compares without case: the same answer, without a converted copy of the value per evaluation.
  // (A literal that no such result can hold, as in lower(x) contains "A", keeps the plain comparison.)

  /**
   * The literal in lower case if {@code lhs} is {@code lower()} or {@code upper()} of something, and the
   * literal has letters, all of which such a result may hold; else {@code null}.
   */
  private static FoldedLiteral caseless(Operand lhs, String literal) {
    if (lhs.caseless == null) {
      return null;
    }
    boolean letters = false;
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (lhs.caseless.upper ? c >= 'a' && c <= 'z' : c >= 'A' && c <= 'Z') {
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
  private static Str unconverted(Operand lhs, String literal) {
    if (lhs.caseless != null) {
      for (int i = 0; i < literal.length(); i++) {
        char c = literal.charAt(i);
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
          return (Str) lhs.node;
        }
      }
      return lhs.caseless.argument;
    }
    return (Str) lhs.node;
  }

  private static Cond equal(Operand lhs, String k, boolean negated) {
    FoldedLiteral folded = caseless(lhs, k);
    if (folded != null) {
      Str x = lhs.caseless.argument;
      int length = k.length();
      return e -> {
        String v = x.get(e);
        return v != null && (v.length() == length && folded.regionMatches(v, 0)) != negated;
      };
    }
    Str s = unconverted(lhs, k);
    return e -> {
      String v = s.get(e);
      return v != null && v.equals(k) != negated;
    };
  }

  private static Cond contains(Operand lhs, String k) {
    FoldedLiteral folded = caseless(lhs, k);
    if (folded != null) {
      Str x = lhs.caseless.argument;
      return e -> {
        String v = x.get(e);
        return v != null && folded.foundIn(v);
      };
    }
    Str s = unconverted(lhs, k);
    return e -> {
      String v = s.get(e);
      return v != null && v.contains(k);
    };
  }

  private static Cond startsWith(Operand lhs, String k) {
    FoldedLiteral folded = caseless(lhs, k);
    if (folded != null) {
      Str x = lhs.caseless.argument;
      return e -> {
        String v = x.get(e);
        return v != null && folded.regionMatches(v, 0);
      };
    }
    Str s = unconverted(lhs, k);
    return e -> {
      String v = s.get(e);
      return v != null && v.startsWith(k);
    };
  }

  private static Cond endsWith(Operand lhs, String k) {
    FoldedLiteral folded = caseless(lhs, k);
    if (folded != null) {
      Str x = lhs.caseless.argument;
      int length = k.length();
      return e -> {
        String v = x.get(e);
        return v != null && folded.regionMatches(v, v.length() - length);
      };
    }
    Str s = unconverted(lhs, k);
    return e -> {
      String v = s.get(e);
      return v != null && v.endsWith(k);
    };
  }

  private Cond integerComparison(Operand lhs, Op op, String opText) throws ExpressionException {
    int at = lx.pos;
    Int n = (Int) lhs.node;
    if (op == Op.IN) {
      return integerIn(lhs, n, opText);
    }
    String w = lx.wordAt(at);
    if (!Lexer.isInteger(w)) {
      String hint = w.contains("..") ? "; a range such as 8000..8999 belongs in a set: in {8000..8999}" : "";
      throw lx.error(at, "expected an Integer after '" + opText + "', found " + describeValue(at, Type.INTEGER) + hint);
    }
    long k = integer(w, at);
    lx.pos += w.length();
    return switch (op) {
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

  private long integer(String w, int at) throws ExpressionException {
    try {
      long value = Long.parseLong(w);
      if (value != Nodes.MISSING) {
        return value;
      }
    } catch (NumberFormatException e) {
      // out of range: reported below
    }
    throw lx.error(at, "the integer " + w + " is out of range");
  }

  private Cond ipComparison(Operand lhs, Op op, String opText) throws ExpressionException {
    int at = lx.pos;
    Ip ip = (Ip) lhs.node;
    if (op == Op.IN) {
      return ipIn(lhs, ip, opText);
    }
    String w = lx.wordAt(at);
    if (w.indexOf('/') >= 0 && Lexer.looksLikeAddress(w)) {
      try {
        Cidr.parse(w);
      } catch (IllegalArgumentException e) {
        throw lx.error(at, e.getMessage());
      }
      throw lx.error(at, "'" + opText + "' compares with one address; for the network " + w + " write "
          + text(lhs) + " in {" + w + "}");
    }
    IpAddress k = IpAddress.tryParse(w);
    if (k == null) {
      if (Lexer.looksLikeAddress(w) && Fields.get(w) == null) {
        throw lx.error(at, rejection(w));
      }
      throw lx.error(at, "expected an IP address after '" + opText + "', found " + describeValue(at, Type.IP));
    }
    lx.pos += w.length();
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
  // Sets and lists

  /** Reads one set element at the cursor, or throws. */
  @FunctionalInterface
  private interface ElementReader {
    void read(int at) throws ExpressionException;
  }

  /** Reads {@code {...}} at the cursor, calling {@code reader} for each element. */
  private void readSet(String example, boolean words, ElementReader reader) throws ExpressionException {
    int open = lx.pos;
    lx.pos++;
    int count = 0;
    while (true) {
      lx.skipSpace();
      int at = lx.pos;
      if (lx.atEnd()) {
        throw lx.error(at, "the set opened at col " + (open + 1) + " is not closed with '}'");
      }
      char c = lx.peek();
      if (c == '}') {
        lx.pos++;
        break;
      }
      if (c == ',') {
        throw lx.error(at, "unexpected ',' in a set; Cloudflare separates set elements with spaces, as in " + example);
      }
      if (++count > limits.maxSet()) {
        throw lx.error(at, "a set may have at most " + limits.maxSet() + " elements");
      }
      reader.read(at);
      int after = lx.pos;
      if (words && after < lx.src.length() && !isSetBoundary(lx.src.charAt(after))) {
        throw lx.error(after, "expected a space or '}' after a set element, found " + lx.describe(after));
      }
    }
    if (count == 0) {
      throw lx.error(open, "an empty set matches nothing; write its elements separated by spaces, as in " + example);
    }
  }

  private static boolean isSetBoundary(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '}' || c == ',';
  }

  private void expectSetOrList(String opText, Type type) throws ExpressionException {
    char c = lx.peek();
    if (c != '{' && c != '$') {
      throw lx.error(lx.pos, "expected a set {...} or a list $name after '" + opText + "', found "
          + describeValue(lx.pos, type));
    }
  }

  /** Reads {@code $name} and checks that the list exists and holds what {@code lhs} needs. */
  private String readList(Operand lhs, NamedLists.Kind needed) throws ExpressionException {
    int at = lx.pos;
    String name = lx.listNameAt(at + 1);
    if (name.isEmpty()) {
      throw lx.error(at, "expected a list name after '$', found " + lx.describe(at + 1));
    }
    NamedLists.Kind kind = lists.kind(name);
    if (kind == null) {
      if (name.indexOf('.') >= 0) {
        throw lx.error(at, "unknown list $" + name + "; Cloudflare's managed lists are not available here, define"
            + " your own as gatehouse.list.NAME");
      }
      throw lx.error(at, "unknown list $" + name + "; lists are defined as gatehouse.list." + name);
    }
    if (kind != needed) {
      throw lx.error(at, "$" + name + " is " + kindName(kind) + "; " + text(lhs) + " (" + lhs.type.withArticle
          + ") needs " + kindName(needed));
    }
    lx.pos = at + 1 + name.length();
    return name;
  }

  private static String kindName(NamedLists.Kind kind) {
    return switch (kind) {
      case IP -> "a list of IP addresses";
      case ASN -> "a list of AS numbers";
      case STRING -> "a list of strings";
    };
  }

  private Cond stringIn(Operand lhs, Str s, String opText) throws ExpressionException {
    expectSetOrList(opText, Type.STRING);
    Set<String> values;
    if (lx.peek() == '$') {
      String name = readList(lhs, NamedLists.Kind.STRING);
      Set<String> list = lists.strings(name);
      values = list == null ? Set.of() : list;
    } else {
      Set<String> collected = new HashSet<>();
      readSet("{\"GET\" \"HEAD\"}", false, at -> {
        if (!lx.atStringStart()) {
          throw lx.error(at, "expected a string in the set, found " + describeValue(at, Type.STRING));
        }
        collected.add(lx.readString(limits.maxString()).value());
      });
      values = Set.copyOf(collected);
    }
    return e -> {
      String v = s.get(e);
      return v != null && values.contains(v);
    };
  }

  private Cond integerIn(Operand lhs, Int n, String opText) throws ExpressionException {
    expectSetOrList(opText, Type.INTEGER);
    if (lx.peek() == '$') {
      String name = readList(lhs, NamedLists.Kind.ASN);
      Set<Long> list = lists.asns(name);
      // Copied into a sorted array, so that a lookup neither boxes the number nor hashes it.
      long[] sorted = list == null ? new long[0]
          : list.stream().filter(Objects::nonNull).mapToLong(Long::longValue).sorted().distinct().toArray();
      return e -> {
        long v = n.get(e);
        return v != Nodes.MISSING && Arrays.binarySearch(sorted, v) >= 0;
      };
    }
    long[][] pairs = {new long[16]};
    int[] count = {0};
    readSet("{80 443}", true, at -> {
      String w = lx.wordAt(at);
      int dots = w.indexOf("..");
      long first;
      long last;
      if (dots > 0 && Lexer.isInteger(w.substring(0, dots)) && Lexer.isInteger(w.substring(dots + 2))) {
        first = integer(w.substring(0, dots), at);
        last = integer(w.substring(dots + 2), at + dots + 2);
        if (first > last) {
          throw lx.error(at, "the range " + w + " ends before it starts");
        }
      } else if (Lexer.isInteger(w)) {
        first = integer(w, at);
        last = first;
      } else {
        throw lx.error(at, "expected an Integer or a range such as 8000..8999 in the set, found "
            + describeValue(at, Type.INTEGER));
      }
      lx.pos += w.length();
      if (2 * count[0] + 2 > pairs[0].length) {
        pairs[0] = Arrays.copyOf(pairs[0], pairs[0].length * 2);
      }
      pairs[0][2 * count[0]] = first;
      pairs[0][2 * count[0] + 1] = last;
      count[0]++;
    });
    IntRanges ranges = IntRanges.of(pairs[0], count[0]);
    return e -> {
      long v = n.get(e);
      return v != Nodes.MISSING && ranges.contains(v);
    };
  }

  private Cond ipIn(Operand lhs, Ip ip, String opText) throws ExpressionException {
    expectSetOrList(opText, Type.IP);
    IntervalIndex<Boolean> index;
    if (lx.peek() == '$') {
      String name = readList(lhs, NamedLists.Kind.IP);
      IntervalIndex<Boolean> list = lists.ips(name);
      index = list == null ? IntervalIndex.empty() : list;
    } else {
      IntervalIndex.Builder<Boolean> builder = IntervalIndex.builder();
      readSet("{192.0.2.0/24 203.0.113.7}", true, at -> {
        String w = lx.wordAt(at);
        if (!Lexer.looksLikeAddress(w) || Fields.get(w) != null) {
          throw lx.error(at, "expected an IP address or network in the set, found " + describeValue(at, Type.IP));
        }
        int dots = w.indexOf("..");
        if (dots > 0) {
          IpAddress first = address(w.substring(0, dots), at);
          IpAddress last = address(w.substring(dots + 2), at + dots + 2);
          if (first.isV4() != last.isV4()) {
            throw lx.error(at, "the range " + w + " mixes IPv4 and IPv6");
          }
          if (first.compareTo(last) > 0) {
            throw lx.error(at, "the range " + w + " ends before it starts");
          }
          builder.add(first, last, Boolean.TRUE);
        } else {
          try {
            builder.add(Cidr.parse(w), Boolean.TRUE);
          } catch (IllegalArgumentException e) {
            throw lx.error(at, e.getMessage());
          }
        }
        lx.pos += w.length();
      });
      index = builder.build();
    }
    IntervalIndex<Boolean> set = index;
    return e -> {
      IpAddress v = ip.get(e);
      return v != null && set.get(v) != null;
    };
  }

  /** Why {@code text} is not an address, in {@link IpAddress#parse}'s words. */
  private static String rejection(String text) {
    try {
      IpAddress.parse(text);
      return "'" + text + "' is not an IP address literal";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private IpAddress address(String text, int at) throws ExpressionException {
    IpAddress a = IpAddress.tryParse(text);
    if (a == null) {
      throw lx.error(at, rejection(text));
    }
    return a;
  }

  // ---------------------------------------------------------------------------------------------------

  private String text(Operand operand) {
    return lx.shown(operand.start, operand.end);
  }

  /** A hint for operators written in capitals ({@code AND}), which the language does not accept. */
  private static String keywordHint(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (!word.equals(lower) && KEYWORDS.contains(lower)) {
      return "; operators are written in lower case: '" + lower + "'";
    }
    return "";
  }
}
