package io.gatehouse.core.rules.expr;

import io.gatehouse.core.rules.expr.Syntax.Malformed;
import io.gatehouse.core.rules.expr.Syntax.Quoted;
import io.gatehouse.core.rules.expr.Syntax.Stray;
import io.gatehouse.core.rules.expr.Syntax.Unfinished;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a {@link Syntax} tree and makes the {@link Checked} tree of it: the types of operands and
 * operators, the fields, functions and lists named, {@code [*]} and its quantifier, and the limits on
 * strings, sets and regular expressions. Values on the right of a comparison are the
 * {@link ValueChecker}'s.
 *
 * <p>The tree is walked in reading order, and the first problem met is the one reported, whether it is a
 * wrong type here or a {@link Malformed} piece of text the parser left: each node's own checks come in
 * the order its text is read (a function's name before its arguments, its arguments before their
 * number), so a message is about the first thing wrong in the expression.
 *
 * <p>Not thread-safe; one per compilation.
 */
final class Checker {

  /** The functions checked here; the others are {@link FunctionChecker}'s. */
  private static final List<String> BASIC_FUNCTIONS =
      List.of("any", "all", "lower", "upper", "len", "starts_with", "ends_with", "url_decode");

  static final List<String> FUNCTIONS = functions();

  private static List<String> functions() {
    List<String> all = new ArrayList<>(BASIC_FUNCTIONS);
    all.addAll(FunctionChecker.NAMES);
    return List.copyOf(all);
  }

  /** What a successful check makes: the tree to compile, and the canonical names of the fields it reads. */
  record Result(Checked.Cond root, Set<String> fields) {}

  /**
   * A checked operand: its type, what it is (a {@link Checked.Cond} when Boolean, else a
   * {@link Checked.Value}), its source span, whether it is one element of an array that
   * {@code any()}/{@code all()} iterates, and, for a header array, the name {@code [*]} tells arrays
   * apart by.
   */
  record Typed(Type type, Checked node, int start, int end, boolean mapped, String arrayKey) {}

  /** One {@code any()} or {@code all()} being checked: its slot and the array its {@code [*]} iterates. */
  private static final class Scope {
    final String function;
    final int slot;
    Checked.Value array;
    boolean ofArrays;
    String arrayKey;
    String arrayText;

    Scope(String function, int slot) {
      this.function = function;
      this.slot = slot;
    }
  }

  final Lexer lx;
  final Limits limits;
  final Expression.Lists lists;
  private final ValueChecker values;
  private final FunctionChecker functions;
  private final Set<String> fields = new TreeSet<>();
  private final Deque<Scope> scopes = new ArrayDeque<>();
  private int slotCount;

  private Checker(Lexer lexer, Expression.Lists lists, Limits limits) {
    this.lx = lexer;
    this.limits = limits;
    this.lists = lists;
    this.values = new ValueChecker(this, lists);
    this.functions = new FunctionChecker(this);
  }

  static Result check(Syntax tree, Lexer lexer, Expression.Lists lists, Limits limits) throws ExpressionException {
    Checker checker = new Checker(lexer, lists, limits);
    Checked.Cond root = checker.condition(tree);
    return new Result(root, Collections.unmodifiableSet(checker.fields));
  }

  // ---------------------------------------------------------------------------------------------------
  // Conditions

  private Checked.Cond condition(Syntax syntax) throws ExpressionException {
    if (syntax instanceof Syntax.Logical logical) {
      List<Checked.Cond> parts = new ArrayList<>(logical.parts().size());
      for (Syntax part : logical.parts()) {
        parts.add(condition(part));
      }
      return new Checked.Logical(logical.op(), parts);
    }
    if (syntax instanceof Syntax.Not not) {
      return new Checked.Not(condition(not.operand()));
    }
    if (syntax instanceof Syntax.Comparison comparison) {
      return comparison(comparison);
    }
    if (syntax instanceof Unfinished unfinished) {
      condition(unfinished.node());
      throw unfinished.next().exception();
    }
    if (syntax instanceof Malformed malformed) {
      throw malformed.exception();
    }
    Syntax.Operand written = (Syntax.Operand) syntax;
    Typed operand = operand(written);
    if (operand.type() == Type.BOOLEAN) {
      return (Checked.Cond) operand.node();
    }
    String text = text(operand);
    requireOneValue(operand, text);
    int opAt = lx.spaceEnd(written.end());
    String word = lx.identAt(opAt);
    String hint = word.equals("not") ? "; write 'not' before the whole condition, as in not " + text + " eq ..."
        : Lexer.keywordHint(word);
    throw error(opAt, "expected a comparison operator after " + text + " (" + operand.type().withArticle
        + "), found " + lx.describe(opAt) + hint);
  }

  private Checked.Cond comparison(Syntax.Comparison comparison) throws ExpressionException {
    Typed left = operand(comparison.left());
    String text = text(left);
    if (left.type() == Type.BOOLEAN) {
      throw error(comparison.opStart(), text + " is a Boolean and takes no operator; write " + text + " or not "
          + text);
    }
    requireOneValue(left, text);
    ComparisonOp op = comparison.op();
    if (op == null) {
      throw ((Malformed) comparison.right()).exception();
    }
    if (op.integerOnly() && left.type() != Type.INTEGER) {
      throw error(comparison.opStart(), "operator '" + comparison.spelling() + "' applies to Integers only, not to "
          + text + " (" + left.type().withArticle + ")");
    }
    if (op.stringOnly() && left.type() != Type.STRING) {
      String hint = left.type() == Type.IP ? "; use 'in' or 'eq'" : "; use 'eq', 'ne', 'lt', 'le', 'gt', 'ge' or 'in'";
      throw error(comparison.opStart(), "operator '" + comparison.spelling() + "' does not apply to " + text + " ("
          + left.type().withArticle + ")" + hint);
    }
    return values.comparison(left, op, comparison.spelling(), comparison.right());
  }

  /** Rejects an Array or a Map where one value is compared. */
  void requireOneValue(Typed operand, String text) throws ExpressionException {
    if (operand.type() == Type.ARRAY || operand.type() == Type.ARRAYS) {
      throw error(operand.start(), text + " is an Array; compare one value with " + text + "[0], or every value"
          + " with " + text + "[*] inside any() or all()");
    }
    if (operand.type() == Type.MAP) {
      throw error(operand.start(), text + " is a Map; pick " + mapExample(operand, "[0]"));
    }
  }

  /** How to pick from the map {@code operand}: {@code a header by its name in quotes, as in ...}. */
  private String mapExample(Typed operand, String after) {
    if (isHeaders(operand)) {
      return "a header by its name in quotes, as in " + Fields.HEADERS + "[\"user-agent\"]" + after;
    }
    return "an entry by its name in quotes, as in " + text(operand) + "[\"name\"]" + after;
  }

  private static boolean isHeaders(Typed operand) {
    return operand.node() instanceof Checked.Field f && f.field().name().equals(Fields.HEADERS);
  }

  // ---------------------------------------------------------------------------------------------------
  // Operands: fields, function calls, indexes

  private Typed operand(Syntax.Operand written) throws ExpressionException {
    if (written instanceof Syntax.Field field) {
      return field(field);
    }
    if (written instanceof Syntax.Quantifier quantifier) {
      return quantifier(quantifier);
    }
    if (written instanceof Syntax.Call call) {
      return call(call);
    }
    return index((Syntax.Index) written);
  }

  private Typed field(Syntax.Field written) throws ExpressionException {
    String name = written.name();
    Fields.Field f = Fields.get(name);
    if (f == null) {
      if (FUNCTIONS.contains(name)) {
        throw error(written.start(), "'" + name + "' is a function; call it as " + name + "(...)");
      }
      String unavailable = Fields.unavailable(name);
      if (unavailable != null) {
        throw error(written.start(), "the field " + name + " is " + unavailable);
      }
      String suggestion = Fields.suggest(name, Fields.names());
      throw error(written.start(), "unknown field '" + name + "'"
          + (suggestion == null ? Lexer.keywordHint(name) : "; did you mean '" + suggestion + "'?"));
    }
    fields.add(f.name());
    return new Typed(f.type(), new Checked.Field(f), written.start(), written.end(), false, f.name());
  }

  private Typed index(Syntax.Index index) throws ExpressionException {
    Typed target = operand(index.target());
    Syntax key = content(index.key());
    if (key instanceof Quoted name) {
      checkLength(name);
    }
    rest(index.key());
    int open = index.open();
    if (key instanceof Syntax.Star) {
      return star(target, open, index.end());
    }
    if (key instanceof Quoted name) {
      if (target.type() != Type.MAP) {
        throw indexError(target, open, name.start());
      }
      if (isHeaders(target)) {
        String header = Text.lower(name.value());
        if (!header.equals(name.value())) {
          // Cloudflare's keys are the lower-case names, so this key would never match there.
          throw error(name.start(), "header names are lower case in " + Fields.HEADERS + ", as in Cloudflare, where"
              + " [\"" + name.value() + "\"] never matches; write [\"" + header + "\"]");
        }
        return new Typed(Type.ARRAY, new Checked.Header(header), target.start(), index.end(), false,
            Fields.HEADERS + "[\"" + header + "\"]");
      }
      return new Typed(Type.ARRAY, new Checked.MapKey((Checked.Value) target.node(), name.value()), target.start(),
          index.end(), target.mapped(), target.arrayKey() + "[\"" + name.value() + "\"]");
    }
    Syntax.Bare number = (Syntax.Bare) key;
    String w = number.text();
    if (target.type() != Type.ARRAY && target.type() != Type.ARRAYS) {
      throw indexError(target, open, number.start());
    }
    if (w.startsWith("-")) {
      throw error(number.start(), "an array index must be 0 or more, found " + w);
    }
    long value = ValueChecker.integer(w, number.start());
    int at = value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) value;
    Type element = target.type() == Type.ARRAYS ? Type.ARRAY : Type.STRING;
    String key2 = target.arrayKey() == null ? null : target.arrayKey() + "[" + at + "]";
    return new Typed(element, new Checked.Element((Checked.Value) target.node(), at), target.start(),
        index.end(), target.mapped(), key2);
  }

  private ExpressionException indexError(Typed operand, int open, int keyAt) {
    if (operand.type() == Type.MAP) {
      return error(keyAt, text(operand) + " is a Map; pick " + mapExample(operand, ""));
    }
    if (operand.type() == Type.ARRAY || operand.type() == Type.ARRAYS) {
      return error(keyAt, text(operand) + " is an Array; index it with a number such as [0], or with [*] inside"
          + " any() or all(), not with " + lx.describe(keyAt));
    }
    return error(open, text(operand) + " (" + operand.type().withArticle + ") cannot be indexed");
  }

  private Typed star(Typed operand, int open, int end) throws ExpressionException {
    if (operand.mapped() && operand.type() != Type.ARRAY) {
      // Cloudflare writes lower(h[*])[*]: the function already applies to each element, so this [*] adds nothing.
      return new Typed(operand.type(), operand.node(), operand.start(), end, true, null);
    }
    if (operand.mapped()) {
      throw error(open, "any() and all() iterate over one array; pick one of the elements of " + text(operand)
          + " with a number such as [0]");
    }
    if (operand.type() != Type.ARRAY && operand.type() != Type.ARRAYS) {
      throw indexError(operand, open, open + 1);
    }
    Scope scope = scopes.peek();
    if (scope == null) {
      throw error(open, "[*] can only be used inside any() or all(), as in any(" + text(operand)
          + "[*] eq \"...\")");
    }
    String key = operand.arrayKey() == null ? text(operand) : operand.arrayKey();
    if (scope.arrayKey == null) {
      scope.arrayKey = key;
      scope.array = (Checked.Value) operand.node();
      scope.ofArrays = operand.type() == Type.ARRAYS;
      scope.arrayText = text(operand);
    } else if (!scope.arrayKey.equals(key)) {
      throw error(operand.start(), scope.function + "() iterates over one array, but this condition uses both "
          + scope.arrayText + " and " + text(operand));
    }
    Type element = operand.type() == Type.ARRAYS ? Type.ARRAY : Type.STRING;
    return new Typed(element, new Checked.Each(scope.slot), operand.start(), end, true, null);
  }

  private Typed quantifier(Syntax.Quantifier quantifier) throws ExpressionException {
    String name = quantifier.name();
    Scope scope = new Scope(name, slotCount++);
    scopes.push(scope);
    Checked.Cond predicate = condition(quantifier.condition());
    scopes.pop();
    if (scope.array == null) {
      throw error(quantifier.start(), name + "() takes a condition on the elements of an array, written with [*],"
          + " as in " + name + "(http.request.headers[\"accept\"][*] contains \"json\")");
    }
    Checked.Cond node = new Checked.Quantifier(scope.array, scope.ofArrays, scope.slot, slotCount, predicate,
        name.equals("all"));
    return new Typed(Type.BOOLEAN, node, quantifier.start(), quantifier.end(), false, null);
  }

  private Typed call(Syntax.Call call) throws ExpressionException {
    String name = call.name();
    if (!FUNCTIONS.contains(name)) {
      String refused = FunctionChecker.refused(name);
      if (refused != null) {
        throw error(call.start(), name + "() " + refused);
      }
      String suggestion = Fields.suggest(name, FUNCTIONS);
      throw error(call.start(), "unknown function '" + name + "'"
          + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
    }
    List<Argument> args = new ArrayList<>(call.arguments().size());
    for (Syntax written : call.arguments()) {
      Syntax argument = content(written);
      if (argument instanceof Stray || argument instanceof Syntax.Bare && BASIC_FUNCTIONS.contains(name)) {
        Syntax stray = argument;
        throw error(stray.start(), name + "() takes " + expectation(name, args.size()) + ", found "
            + lx.describe(stray.start()));
      }
      if (argument instanceof Quoted literal) {
        args.add(new Argument(checkLength(literal), null));
      } else if (argument instanceof Syntax.Bare bare) {
        args.add(new Argument(bare, null));
      } else {
        args.add(new Argument(argument, operand((Syntax.Operand) argument)));
      }
      rest(written);
    }
    if (!BASIC_FUNCTIONS.contains(name)) {
      return functions.check(call, args);
    }
    int min = name.equals("starts_with") || name.equals("ends_with") ? 2 : 1;
    int max = name.equals("url_decode") ? 2 : min;
    if (args.size() < min || args.size() > max) {
      String takes = min == max ? min + (min == 1 ? " argument" : " arguments") : min + " or " + max + " arguments";
      throw error(call.start(), name + "() takes " + takes + ", found " + args.size());
    }
    Typed arg = firstArgument(name, args.get(0));
    Checked.Value value = (Checked.Value) arg.node();
    int start = call.start();
    int end = call.end();
    switch (name) {
      case "lower", "upper" -> {
        return new Typed(Type.STRING, new Checked.Convert(value, name.equals("upper")), start, end, arg.mapped(),
            null);
      }
      case "url_decode" -> {
        String options = "";
        if (args.size() == 2) {
          Quoted literal = literalArgument(name, args.get(1));
          options = literal.value();
          for (char c : options.toCharArray()) {
            if (c != 'r' && c != 'u') {
              throw error(literal.start(), "url_decode() options are \"r\" (decode until nothing changes) and"
                  + " \"u\" (decode %uXXXX), found " + lx.shown(literal.start(), literal.end()));
            }
          }
        }
        Checked.Value decoded = new Checked.Decode(value, options.indexOf('r') >= 0, options.indexOf('u') >= 0);
        return new Typed(Type.STRING, decoded, start, end, arg.mapped(), null);
      }
      case "starts_with", "ends_with" -> {
        String affix = literalArgument(name, args.get(1)).value();
        Checked.Cond node = new Checked.Affix(value, affix, name.equals("ends_with"));
        return new Typed(Type.BOOLEAN, node, start, end, arg.mapped(), null);
      }
      default -> { // len
        Checked.Value counted = arg.type() == Type.ARRAYS ? new Checked.Outer(value) : value;
        return new Typed(Type.INTEGER, new Checked.Length(counted, arg.type() != Type.STRING), start, end,
            arg.mapped(), null);
      }
    }
  }

  private static String expectation(String function, int argIndex) {
    if (BASIC_FUNCTIONS.contains(function)) {
      if (argIndex == 1) {
        return "a string literal as its second argument";
      }
      return function.equals("len") ? "a String or an Array" : "a String";
    }
    return "a field, a function or a literal as argument " + (argIndex + 1);
  }

  /**
   * A function's argument as written, and the operand it is when it is neither a string literal
   * ({@link Quoted}) nor an integer ({@link Syntax.Bare}).
   */
  record Argument(Syntax written, Typed operand) {}

  /** What a literal argument is, for messages: {@code the string "x"}, {@code the integer 5}. */
  String describeLiteral(Argument arg) {
    if (arg.written() instanceof Quoted literal) {
      return "the string " + lx.shown(literal.start(), literal.end());
    }
    return lx.describe(arg.written().start());
  }

  private Typed firstArgument(String name, Argument arg) throws ExpressionException {
    boolean len = name.equals("len");
    if (arg.operand() == null) {
      throw error(arg.written().start(), name + "() takes a field or a function of one, not a literal; found "
          + describeLiteral(arg));
    }
    Typed operand = arg.operand();
    boolean ok = operand.type() == Type.STRING || len && (operand.type() == Type.ARRAY || operand.type() == Type.ARRAYS);
    if (!ok) {
      throw error(operand.start(), name + "() takes " + (len ? "a String or an Array" : "a String") + ", found "
          + text(operand) + " (" + operand.type().withArticle + ")");
    }
    return operand;
  }

  private Quoted literalArgument(String name, Argument arg) throws ExpressionException {
    if (arg.written() instanceof Quoted literal) {
      return literal;
    }
    String found = arg.operand() == null ? describeLiteral(arg) : text(arg.operand());
    throw error(arg.written().start(), "the second argument of " + name + "() must be a string literal, found "
        + found);
  }

  // ---------------------------------------------------------------------------------------------------
  // For the checks of values

  /** What {@code syntax} holds, the node inside an {@link Unfinished}; a {@link Malformed} one is reported. */
  static Syntax content(Syntax syntax) throws ExpressionException {
    Syntax node = syntax instanceof Unfinished unfinished ? unfinished.node() : syntax;
    if (node instanceof Malformed malformed) {
      throw malformed.exception();
    }
    return node;
  }

  /** Reports the problem the parser found right after {@code syntax}, if any: called once its content passed. */
  static void rest(Syntax syntax) throws ExpressionException {
    if (syntax instanceof Unfinished unfinished) {
      throw unfinished.next().exception();
    }
  }

  /** {@code literal}, once within the limit on the length of a string. */
  Quoted checkLength(Quoted literal) throws ExpressionException {
    if (literal.value().length() > limits.maxString()) {
      throw error(literal.start(), "a string may have at most " + limits.maxString() + " characters; this one has "
          + literal.value().length());
    }
    return literal;
  }

  String text(Typed operand) {
    return lx.shown(operand.start(), operand.end());
  }

  static ExpressionException error(int at, String problem) {
    return Lexer.error(at, problem);
  }
}
