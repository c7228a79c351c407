package io.gatehouse.core.rules.expr;

import static io.gatehouse.core.rules.expr.Checker.error;

import com.google.re2j.Pattern;
import io.gatehouse.core.rules.expr.Checker.Argument;
import io.gatehouse.core.rules.expr.Checker.Typed;
import io.gatehouse.core.rules.expr.Syntax.Quoted;
import io.gatehouse.core.rules.expr.prefilter.Prefilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Checker}'s part for the functions beyond the basic ones: {@code concat}, {@code split},
 * {@code lookup_json_string}, {@code is_timed_hmac_valid_v0}, ... Each is checked as Cloudflare documents
 * it: which arguments must be fields and which literals, their types, and the ranges of literal numbers.
 * What can be prepared once (a pattern, a key, a JSON path) is prepared here, for {@link Functions}.
 *
 * <p>Not thread-safe; one per compilation.
 */
final class FunctionChecker {

  static final List<String> NAMES = List.of("concat", "decode_base64", "encode_base64", "cidr", "cidr6",
      "lookup_json_string", "lookup_json_integer", "join", "split", "substring", "remove_bytes",
      "remove_query_args", "to_string", "regex_replace", "wildcard_replace", "is_timed_hmac_valid_v0");

  /** Cloudflare functions that a rule here cannot use, and why. */
  private static final Map<String, String> REFUSED = Map.of(
      "bit_slice", "is a Magic Firewall function that reads packets; an HTTP rule cannot use it",
      "uuidv4", "makes a random value for Transform Rules' rewrites; a rule that decides cannot use it",
      "sha256", "is a Cloudflare function that needs enabling on an Enterprise plan; Gatehouse does not have it",
      "wildcard", "is an operator, not a function: write x wildcard \"...\"");

  private static final String[] ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth"};
  private static final Set<String> QUERY_FIELDS = Set.of("http.request.uri.query", "raw.http.request.uri.query");

  private final Checker checker;
  private final Lexer lx;
  private String replaceCall;

  FunctionChecker(Checker checker) {
    this.checker = checker;
    this.lx = checker.lx;
  }

  /** Why {@code name}, a Cloudflare function, cannot be used here ("is a Magic Firewall function ..."), or {@code null}. */
  static String refused(String name) {
    return REFUSED.get(name);
  }

  Typed check(Syntax.Call call, List<Argument> args) throws ExpressionException {
    String name = call.name();
    return switch (name) {
      case "concat" -> concat(call, args);
      case "decode_base64" -> {
        count(call, args, 1, 1);
        yield typed(call, args, Type.STRING, List.of(field(call, args, 0, Type.STRING)), null);
      }
      case "encode_base64" -> {
        count(call, args, 1, 2);
        String flags = args.size() == 2 ? flags(call, args, 1, "up") : "";
        yield typed(call, args, Type.STRING, List.of(value(call, args, 0, Type.STRING)), flags);
      }
      case "cidr" -> {
        count(call, args, 3, 3);
        Checked ip = field(call, args, 0, Type.IP);
        long v4 = integer(call, args, 1, 1, 32);
        long v6 = integer(call, args, 2, 1, 128);
        yield typed(call, args, Type.IP, List.of(ip), new int[] {(int) v4, (int) v6});
      }
      case "cidr6" -> {
        count(call, args, 2, 2);
        Checked ip = field(call, args, 0, Type.IP);
        long v6 = integer(call, args, 1, 1, 128);
        yield typed(call, args, Type.IP, List.of(ip), new int[] {32, (int) v6});
      }
      case "lookup_json_string", "lookup_json_integer" -> lookupJson(call, args);
      case "join" -> {
        count(call, args, 2, 2);
        yield typed(call, args, Type.STRING, List.of(field(call, args, 0, Type.ARRAY),
            value(call, args, 1, Type.STRING)), null);
      }
      case "split" -> {
        count(call, args, 3, 3);
        Checked input = field(call, args, 0, Type.STRING);
        String separator = string(call, args, 1);
        if (separator.isEmpty()) {
          throw error(args.get(1).written().start(), "the separator of split() must not be empty");
        }
        long limit = integer(call, args, 2, 1, 128);
        yield typed(call, args, Type.ARRAY, List.of(input), new Object[] {separator, (int) limit});
      }
      case "substring" -> {
        count(call, args, 2, 3);
        List<Checked> parts = new ArrayList<>();
        parts.add(field(call, args, 0, Type.STRING));
        parts.add(value(call, args, 1, Type.INTEGER));
        if (args.size() == 3) {
          parts.add(value(call, args, 2, Type.INTEGER));
        }
        yield typed(call, args, Type.STRING, parts, null);
      }
      case "remove_bytes" -> {
        count(call, args, 2, 2);
        Checked field = field(call, args, 0, Type.STRING);
        byte[] bytes = Text.toBytes(string(call, args, 1));
        yield typed(call, args, Type.STRING, List.of(field), bytes);
      }
      case "remove_query_args" -> removeQueryArgs(call, args);
      case "to_string" -> {
        count(call, args, 1, 1);
        yield typed(call, args, Type.STRING, List.of(field(call, args, 0, Type.INTEGER, Type.BOOLEAN, Type.IP)),
            args.get(0).operand().type());
      }
      case "regex_replace" -> regexReplace(call, args);
      case "wildcard_replace" -> wildcardReplace(call, args);
      default -> hmac(call, args);
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // The functions with more to check

  private Typed concat(Syntax.Call call, List<Argument> args) throws ExpressionException {
    count(call, args, 1, Integer.MAX_VALUE);
    Type kind = null;
    List<Checked> parts = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Argument a = args.get(i);
      Type t = a.operand() != null ? a.operand().type() : a.written() instanceof Quoted ? Type.STRING : Type.INTEGER;
      if (t != Type.STRING && t != Type.ARRAY) {
        String hint = t == Type.INTEGER || t == Type.BOOLEAN || t == Type.IP ? "; turn it into one with to_string()" : "";
        throw error(a.written().start(), "concat() joins Strings or Arrays; argument " + (i + 1) + " is "
            + found(a) + hint);
      }
      if (kind == null) {
        kind = t;
      } else if (kind != t) {
        throw error(a.written().start(), "concat() joins Strings or Arrays, not both; argument " + (i + 1)
            + " is " + found(a) + " after " + kind.withArticle);
      }
      parts.add(value(call, args, i, t));
    }
    return typed(call, args, kind, parts, null);
  }

  private Typed lookupJson(Syntax.Call call, List<Argument> args) throws ExpressionException {
    count(call, args, 2, Integer.MAX_VALUE);
    Checked field = field(call, args, 0, Type.STRING);
    Object[] path = new Object[args.size() - 1];
    for (int i = 1; i < args.size(); i++) {
      Argument a = args.get(i);
      if (a.written() instanceof Quoted q) {
        path[i - 1] = q.value();
      } else if (a.operand() == null && a.written() instanceof Syntax.Bare bare && Lexer.isInteger(bare.text())) {
        long index = ValueChecker.integer(bare.text(), bare.start());
        if (index < 0) {
          throw error(bare.start(), "a position in a JSON array is 0 or more, found " + bare.text());
        }
        path[i - 1] = index;
      } else {
        throw error(a.written().start(), "the keys of " + call.name() + "() are literal names in quotes or"
            + " positions in an array, found " + found(a));
      }
    }
    Type type = call.name().equals("lookup_json_string") ? Type.STRING : Type.INTEGER;
    return typed(call, args, type, List.of(field), path);
  }

  private Typed removeQueryArgs(Syntax.Call call, List<Argument> args) throws ExpressionException {
    count(call, args, 2, Integer.MAX_VALUE);
    Checked field = field(call, args, 0, Type.STRING);
    if (!(field instanceof Checked.Field f) || !QUERY_FIELDS.contains(f.field().name())) {
      throw error(args.get(0).written().start(), "the first argument of remove_query_args() must be"
          + " http.request.uri.query or raw.http.request.uri.query, found " + found(args.get(0)));
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      names.add(string(call, args, i));
    }
    return typed(call, args, Type.STRING, List.of(field), Set.copyOf(names));
  }

  private Typed regexReplace(Syntax.Call call, List<Argument> args) throws ExpressionException {
    onceOnly(call);
    count(call, args, 3, 3);
    Checked source = value(call, args, 0, Type.STRING);
    Quoted literal = quoted(call, args, 1);
    Limits limits = checker.limits;
    Pattern pattern;
    try {
      pattern = Prefilter.compileRegex(Prefilter.withoutUnicodeFlag(literal.value()), limits.maxRegex(),
          limits.maxRegexProgram());
    } catch (IllegalArgumentException e) {
      throw error(literal.start(), e.getMessage());
    }
    Quoted replacement = quoted(call, args, 2);
    Object[] parsed = replacement(replacement, pattern.groupCount());
    return typed(call, args, Type.STRING, List.of(source), new Object[] {pattern, parsed});
  }

  private Typed wildcardReplace(Syntax.Call call, List<Argument> args) throws ExpressionException {
    onceOnly(call);
    count(call, args, 3, 4);
    Checked source = field(call, args, 0, Type.STRING);
    Quoted literal = quoted(call, args, 1);
    boolean caseSensitive = args.size() == 4 && flags(call, args, 3, "s").equals("s");
    Wildcard pattern;
    try {
      pattern = Wildcard.compile(literal.value(), caseSensitive);
    } catch (IllegalArgumentException e) {
      throw error(literal.start(), e.getMessage());
    }
    Object[] parsed = replacement(quoted(call, args, 2), pattern.stars());
    return typed(call, args, Type.STRING, List.of(source), new Object[] {pattern, parsed});
  }

  private Typed hmac(Syntax.Call call, List<Argument> args) throws ExpressionException {
    count(call, args, 4, 6);
    String keyName = string(call, args, 0);
    byte[] configured = checker.lists.secret(keyName);
    // A secret configured under this name is the key; otherwise the literal is, as in Cloudflare.
    byte[] key = configured != null ? configured : keyName.getBytes(StandardCharsets.UTF_8);
    if (key.length == 0) {
      throw error(args.get(0).written().start(), "the key of is_timed_hmac_valid_v0() must not be empty");
    }
    Checked message = value(call, args, 1, Type.STRING);
    long ttl = integer(call, args, 2, 0, Integer.MAX_VALUE);
    Checked now = value(call, args, 3, Type.INTEGER);
    long separator = args.size() >= 5 ? integer(call, args, 4, 0, 4096) : 0;
    boolean urlSafe = args.size() == 6 && flags(call, args, 5, "s").equals("s");
    return typed(call, args, Type.BOOLEAN, List.of(message, now), new Hmac(key, ttl, (int) separator, urlSafe));
  }

  /** What {@code is_timed_hmac_valid_v0()} checks with, besides its two values. */
  record Hmac(byte[] key, long ttl, int separator, boolean urlSafe) {}

  /** Cloudflare allows one {@code regex_replace()} or {@code wildcard_replace()} in an expression. */
  private void onceOnly(Syntax.Call call) throws ExpressionException {
    if (replaceCall != null) {
      throw error(call.start(), "an expression may use regex_replace() or wildcard_replace() once, and it uses "
          + replaceCall + "() already");
    }
    replaceCall = call.name();
  }

  /**
   * A replacement string split into its literal pieces ({@code String}) and group references
   * ({@code Integer}): {@code ${1}} is group 1, {@code $$} a dollar sign; at most eight references.
   */
  private Object[] replacement(Quoted literal, int groups) throws ExpressionException {
    String r = literal.value();
    List<Object> parts = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    int references = 0;
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      if (c != '$') {
        piece.append(c);
        continue;
      }
      if (i + 1 < r.length() && r.charAt(i + 1) == '$') {
        piece.append('$');
        i++;
        continue;
      }
      int close = r.indexOf('}', i);
      String digits = i + 1 < r.length() && r.charAt(i + 1) == '{' && close > i + 2 ? r.substring(i + 2, close) : "";
      if (digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(d -> d >= '0' && d <= '9')) {
        throw error(literal.start(), "a '$' in a replacement starts a reference such as ${1}, or is written $$;"
            + " found " + lx.shown(literal.start(), literal.end()));
      }
      int group = Integer.parseInt(digits);
      if (group < 1 || group > groups) {
        throw error(literal.start(), "the replacement refers to ${" + group + "}, but the pattern has "
            + (groups == 1 ? "1 group" : groups + " groups"));
      }
      if (++references > 8) {
        throw error(literal.start(), "a replacement may refer to at most 8 groups");
      }
      parts.add(piece.toString());
      piece.setLength(0);
      parts.add(group);
      i = close;
    }
    parts.add(piece.toString());
    return parts.toArray();
  }

  // ---------------------------------------------------------------------------------------------------
  // Arguments

  private Typed typed(Syntax.Call call, List<Argument> args, Type type, List<Checked> arguments, Object data) {
    boolean mapped = false;
    for (Argument a : args) {
      mapped |= a.operand() != null && a.operand().mapped();
    }
    return new Typed(type, new Checked.Call(call.name(), type, List.copyOf(arguments), data), call.start(),
        call.end(), mapped, null);
  }

  private void count(Syntax.Call call, List<Argument> args, int min, int max) throws ExpressionException {
    int n = args.size();
    if (n >= min && n <= max) {
      return;
    }
    String takes;
    if (max == Integer.MAX_VALUE) {
      takes = "at least " + min + (min == 1 ? " argument" : " arguments");
    } else if (min == max) {
      takes = min + (min == 1 ? " argument" : " arguments");
    } else {
      takes = min + (max == min + 1 ? " or " : " to ") + max + " arguments";
    }
    throw error(call.start(), call.name() + "() takes " + takes + ", found " + n);
  }

  private static String ordinal(int i) {
    return i < ORDINALS.length ? ORDINALS[i] : "argument " + (i + 1) + " of";
  }

  private String found(Argument a) {
    if (a.operand() == null) {
      return checker.describeLiteral(a);
    }
    return checker.text(a.operand()) + " (" + a.operand().type().withArticle + ")";
  }

  private static String names(Type... types) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < types.length; i++) {
      sb.append(i == 0 ? "" : i == types.length - 1 ? " or " : ", ").append(i == 0 ? types[i].withArticle
          : types[i].title);
    }
    return sb.toString();
  }

  /** Argument {@code i}, which must be a field or a function of one (not a literal) of one of {@code types}. */
  private Checked field(Syntax.Call call, List<Argument> args, int i, Type... types) throws ExpressionException {
    Argument a = args.get(i);
    if (a.operand() == null) {
      throw error(a.written().start(), "the " + ordinal(i) + " argument of " + call.name() + "() must be a field"
          + " or a function of one, not a literal; found " + checker.describeLiteral(a));
    }
    return typedOperand(call, a, i, types);
  }

  private Checked typedOperand(Syntax.Call call, Argument a, int i, Type... types) throws ExpressionException {
    for (Type t : types) {
      if (a.operand().type() == t) {
        return a.operand().node();
      }
    }
    throw error(a.written().start(), "the " + ordinal(i) + " argument of " + call.name() + "() must be "
        + names(types) + ", found " + found(a));
  }

  /** Argument {@code i} of {@code type}: a field, a function or a literal. */
  private Checked value(Syntax.Call call, List<Argument> args, int i, Type type) throws ExpressionException {
    Argument a = args.get(i);
    if (a.operand() != null) {
      return typedOperand(call, a, i, type);
    }
    if (type == Type.STRING && a.written() instanceof Quoted q) {
      return new Checked.Literal(q.value());
    }
    if (type == Type.INTEGER && a.written() instanceof Syntax.Bare bare && Lexer.isInteger(bare.text())) {
      return new Checked.Literal(ValueChecker.integer(bare.text(), bare.start()));
    }
    throw error(a.written().start(), "the " + ordinal(i) + " argument of " + call.name() + "() must be "
        + type.withArticle + ", found " + found(a));
  }

  private Quoted quoted(Syntax.Call call, List<Argument> args, int i) throws ExpressionException {
    Argument a = args.get(i);
    if (a.written() instanceof Quoted q) {
      return q;
    }
    throw error(a.written().start(), "the " + ordinal(i) + " argument of " + call.name() + "() must be a string"
        + " literal, found " + found(a));
  }

  private String string(Syntax.Call call, List<Argument> args, int i) throws ExpressionException {
    return quoted(call, args, i).value();
  }

  /** A string literal of flags among {@code allowed}, each at most once. */
  private String flags(Syntax.Call call, List<Argument> args, int i, String allowed) throws ExpressionException {
    Quoted q = quoted(call, args, i);
    String flags = q.value();
    for (int k = 0; k < flags.length(); k++) {
      if (allowed.indexOf(flags.charAt(k)) < 0 || flags.indexOf(flags.charAt(k)) != k) {
        String list = allowed.length() == 1 ? "\"" + allowed + "\"" : "letters among \"" + allowed + "\"";
        throw error(q.start(), "the flags of " + call.name() + "() are " + list + ", found "
            + lx.shown(q.start(), q.end()));
      }
    }
    return flags;
  }

  /** An integer literal from {@code min} to {@code max}. */
  private long integer(Syntax.Call call, List<Argument> args, int i, long min, long max) throws ExpressionException {
    Argument a = args.get(i);
    if (a.operand() != null || !(a.written() instanceof Syntax.Bare bare) || !Lexer.isInteger(bare.text())) {
      throw error(a.written().start(), "the " + ordinal(i) + " argument of " + call.name() + "() must be an"
          + " integer literal, found " + found(a));
    }
    long value = ValueChecker.integer(bare.text(), bare.start());
    if (value < min || value > max) {
      String range = max == Integer.MAX_VALUE ? min + " or more" : "from " + min + " to " + max;
      throw error(bare.start(), "the " + ordinal(i) + " argument of " + call.name() + "() must be " + range
          + ", found " + bare.text());
    }
    return value;
  }
}
