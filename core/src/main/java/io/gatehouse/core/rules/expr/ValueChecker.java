package io.gatehouse.core.rules.expr;

import static io.gatehouse.core.rules.expr.Checker.content;
import static io.gatehouse.core.rules.expr.Checker.error;
import static io.gatehouse.core.rules.expr.Checker.rest;

import com.google.re2j.Pattern;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.Checker.Typed;
import io.gatehouse.core.rules.expr.Syntax.Bare;
import io.gatehouse.core.rules.expr.Syntax.Comma;
import io.gatehouse.core.rules.expr.Syntax.ListRef;
import io.gatehouse.core.rules.expr.Syntax.Malformed;
import io.gatehouse.core.rules.expr.Syntax.Quoted;
import io.gatehouse.core.rules.expr.Syntax.SetOf;
import io.gatehouse.core.rules.expr.prefilter.Prefilter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link Checker}'s part for the right side of a comparison: a value that the parser read without
 * knowing the type it needed. The left side's type says what the text must be (a string, an integer, an
 * address, a set or list of them), and the value is parsed into what the {@link Compiler} compares with.
 *
 * <p>A wrong value is described as the text stands, with a hint when it looks like the right thing
 * written the wrong way ({@code "50"} for an Integer, a field name for a literal).
 *
 * <p>Not thread-safe; one per compilation.
 */
final class ValueChecker {

  private final Checker checker;
  private final Lexer lx;
  private final Expression.Lists lists;

  ValueChecker(Checker checker, Expression.Lists lists) {
    this.checker = checker;
    this.lx = checker.lx;
    this.lists = lists;
  }

  /** {@code left op right}, where the left side is known to be of a type {@code op} applies to. */
  Checked.Cond comparison(Typed left, ComparisonOp op, String spelling, Syntax right) throws ExpressionException {
    if (op == ComparisonOp.IN) {
      return membership(left, spelling, right);
    }
    return switch (left.type()) {
      case STRING -> stringComparison(left, op, spelling, right);
      case INTEGER -> integerComparison(left, op, spelling, right);
      default -> ipComparison(left, op, spelling, right);
    };
  }

  /** {@link Lexer#describe} for the right side of a comparison, with a hint when it names a field. */
  private String describeValue(int at, Type expected) {
    String found = lx.describe(at);
    if (found.startsWith("the field ")) {
      return found + " (the right side of a comparison must be a literal)";
    }
    if (lx.isStringStart(at) && expected != Type.STRING) {
      try {
        String value = lx.stringAt(at).value();
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

  /** The text of a value written without quotes; {@code ""} for any other, which is no integer and no address. */
  private static String word(Syntax value) {
    return value instanceof Bare bare ? bare.text() : "";
  }

  /** A string literal where one must stand: {@code value} is one, or is the string that could not be read. */
  private static boolean isString(Syntax value) {
    return value instanceof Quoted || value instanceof Malformed;
  }

  // ---------------------------------------------------------------------------------------------------
  // Strings

  private Checked.Cond stringComparison(Typed left, ComparisonOp op, String spelling, Syntax right)
      throws ExpressionException {
    Checked.Value s = (Checked.Value) left.node();
    int at = right.start();
    if (!isString(right)) {
      throw error(at, "expected a String after '" + spelling + "', found " + describeValue(at, Type.STRING));
    }
    Quoted literal = checker.checkLength((Quoted) content(right));
    String k = literal.value();
    switch (op) {
      case MATCHES -> {
        Limits limits = checker.limits;
        try {
          String regex = Prefilter.withoutUnicodeFlag(k);
          Pattern pattern = Prefilter.compileRegex(regex, limits.maxRegex(), limits.maxRegexProgram());
          return new Checked.Matches(s, regex, pattern);
        } catch (IllegalArgumentException e) {
          throw error(literal.start(), e.getMessage());
        }
      }
      case WILDCARD, STRICT_WILDCARD -> {
        boolean strict = op == ComparisonOp.STRICT_WILDCARD;
        try {
          return new Checked.WildcardMatch(s, Wildcard.compile(k, strict), strict);
        } catch (IllegalArgumentException e) {
          throw error(literal.start(), e.getMessage());
        }
      }
      default -> {
        if (op == ComparisonOp.EQ || op == ComparisonOp.NE) {
          requireCapitals(left, literal);
        }
        return new Checked.StringComparison(s, op, k);
      }
    }
  }

  /** The fields whose values Cloudflare documents in capitals: a literal in lower case never equals them. */
  private static final Set<String> CAPITALISED = Set.of("ip.src.country", "ip.src.continent", "http.request.method");

  /**
   * Refuses a literal with lower-case letters compared with a field whose values are in capitals (and one
   * with capitals compared with the extension, which is in lower case): the rule would never match in
   * Cloudflare, and here it would not either, which a pasted rule should learn at once rather than never.
   */
  private void requireCapitals(Typed left, Quoted literal) throws ExpressionException {
    if (left.node() instanceof Checked.Field f && f.field().name().equals("http.request.uri.path.extension")) {
      String lower = Text.lower(literal.value());
      if (!lower.equals(literal.value())) {
        throw error(literal.start(), "http.request.uri.path.extension holds extensions in lower case, so \""
            + literal.value() + "\" is never equal to it, in Cloudflare either; write \"" + lower + "\"");
      }
    }
    if (left.node() instanceof Checked.Field f && CAPITALISED.contains(f.field().name())) {
      String v = literal.value();
      String upper = Text.upper(v);
      boolean method = f.field().name().equals("http.request.method");
      // Only what reads as a code ("gb") or a method ("get") written in lower case; other text is left be.
      boolean shaped = (method ? v.length() >= 3 : v.length() == 2) && v.chars().allMatch(c -> c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z');
      if (shaped && !upper.equals(v)) {
        String what = f.field().name().equals("http.request.method") ? "methods" : "codes";
        throw error(literal.start(), f.field().name() + " holds " + what + " in capitals, so \"" + literal.value()
            + "\" is never equal to it, in Cloudflare either; write \"" + upper + "\"");
      }
    }
  }

  private Set<String> strings(Typed left, SetOf set) throws ExpressionException {
    Set<String> collected = new HashSet<>();
    elements(set, "{\"GET\" \"HEAD\"}", element -> {
      if (!isString(element)) {
        throw error(element.start(), "expected a string in the set, found "
            + describeValue(element.start(), Type.STRING));
      }
      Quoted literal = checker.checkLength((Quoted) content(element));
      requireCapitals(left, literal);
      collected.add(literal.value());
    });
    return Set.copyOf(collected);
  }

  // ---------------------------------------------------------------------------------------------------
  // Integers

  private Checked.Cond integerComparison(Typed left, ComparisonOp op, String spelling, Syntax right)
      throws ExpressionException {
    Checked.Value n = (Checked.Value) left.node();
    int at = right.start();
    String w = word(right);
    if (!Lexer.isInteger(w)) {
      String hint = w.contains("..") ? "; a range such as 8000..8999 belongs in a set: in {8000..8999}" : "";
      throw error(at, "expected an Integer after '" + spelling + "', found " + describeValue(at, Type.INTEGER) + hint);
    }
    return new Checked.IntegerComparison(n, op, integer(w, at));
  }

  private IntRanges integers(SetOf set) throws ExpressionException {
    long[][] pairs = {new long[16]};
    int[] count = {0};
    elements(set, "{80 443}", element -> {
      int at = element.start();
      String w = word(element);
      int dots = w.indexOf("..");
      long first;
      long last;
      if (dots > 0 && Lexer.isInteger(w.substring(0, dots)) && Lexer.isInteger(w.substring(dots + 2))) {
        first = integer(w.substring(0, dots), at);
        last = integer(w.substring(dots + 2), at + dots + 2);
        if (first > last) {
          throw error(at, "the range " + w + " ends before it starts");
        }
      } else if (Lexer.isInteger(w)) {
        first = integer(w, at);
        last = first;
      } else {
        throw error(at, "expected an Integer or a range such as 8000..8999 in the set, found "
            + describeValue(at, Type.INTEGER));
      }
      if (2 * count[0] + 2 > pairs[0].length) {
        pairs[0] = Arrays.copyOf(pairs[0], pairs[0].length * 2);
      }
      pairs[0][2 * count[0]] = first;
      pairs[0][2 * count[0] + 1] = last;
      count[0]++;
    });
    return IntRanges.of(pairs[0], count[0]);
  }

  static long integer(String w, int at) throws ExpressionException {
    try {
      return Lexer.integerValue(w);
    } catch (IllegalArgumentException e) {
      throw error(at, e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Addresses

  private Checked.Cond ipComparison(Typed left, ComparisonOp op, String spelling, Syntax right)
      throws ExpressionException {
    Checked.Value ip = (Checked.Value) left.node();
    int at = right.start();
    String w = word(right);
    if (w.indexOf('/') >= 0 && Lexer.looksLikeAddress(w)) {
      try {
        Cidr.parse(w);
      } catch (IllegalArgumentException e) {
        throw error(at, e.getMessage());
      }
      throw error(at, "'" + spelling + "' compares with one address; for the network " + w + " write "
          + checker.text(left) + " in {" + w + "}");
    }
    IpAddress k = IpAddress.tryParse(w);
    if (k == null) {
      if (Lexer.looksLikeAddress(w) && Fields.get(w) == null) {
        throw error(at, rejection(w));
      }
      throw error(at, "expected an IP address after '" + spelling + "', found " + describeValue(at, Type.IP));
    }
    return new Checked.IpComparison(ip, op, k);
  }

  private IntervalIndex<Boolean> addresses(SetOf set) throws ExpressionException {
    IntervalIndex.Builder<Boolean> builder = IntervalIndex.builder();
    elements(set, "{192.0.2.0/24 203.0.113.7}", element -> {
      int at = element.start();
      String w = word(element);
      if (!Lexer.looksLikeAddress(w) || Fields.get(w) != null) {
        throw error(at, "expected an IP address or network in the set, found " + describeValue(at, Type.IP));
      }
      int dots = w.indexOf("..");
      if (dots > 0) {
        IpAddress first = address(w.substring(0, dots), at);
        IpAddress last = address(w.substring(dots + 2), at + dots + 2);
        if (first.isV4() != last.isV4()) {
          throw error(at, "the range " + w + " mixes IPv4 and IPv6");
        }
        if (first.compareTo(last) > 0) {
          throw error(at, "the range " + w + " ends before it starts");
        }
        builder.add(first, last, Boolean.TRUE);
      } else {
        try {
          builder.add(Cidr.parse(w), Boolean.TRUE);
        } catch (IllegalArgumentException e) {
          throw error(at, e.getMessage());
        }
      }
    });
    return builder.build();
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

  private static IpAddress address(String text, int at) throws ExpressionException {
    IpAddress a = IpAddress.tryParse(text);
    if (a == null) {
      throw error(at, rejection(text));
    }
    return a;
  }

  // ---------------------------------------------------------------------------------------------------
  // Sets and lists

  /** Checks one set element, which may be anything the parser found where an element stood. */
  @FunctionalInterface
  private interface ElementCheck {
    void check(Syntax element) throws ExpressionException;
  }

  /** {@code left in right}: a set of the left side's type, or a list of the kind it needs. */
  private Checked.Cond membership(Typed left, String spelling, Syntax right) throws ExpressionException {
    Type type = left.type();
    if (!(right instanceof SetOf) && !(right instanceof ListRef)) {
      throw error(right.start(), "expected a set {...} or a list $name after '" + spelling + "', found "
          + describeValue(right.start(), type));
    }
    Checked.Value value = (Checked.Value) left.node();
    if (right instanceof SetOf set) {
      return switch (type) {
        case STRING -> new Checked.StringIn(value, strings(left, set));
        case INTEGER -> new Checked.IntegerIn(value, integers(set));
        default -> new Checked.IpIn(value, addresses(set));
      };
    }
    ListRef ref = (ListRef) right;
    switch (type) {
      case STRING -> {
        Set<String> list = lists.strings(list(left, ref, Expression.Lists.Kind.STRING));
        return new Checked.StringIn(value, list == null ? Set.of() : list);
      }
      case INTEGER -> {
        Set<Long> list = lists.asns(list(left, ref, Expression.Lists.Kind.ASN));
        return new Checked.IntegerInList(value, list == null ? Set.of() : list);
      }
      default -> {
        IntervalIndex<Boolean> list = lists.ips(list(left, ref, Expression.Lists.Kind.IP));
        return new Checked.IpIn(value, list == null ? IntervalIndex.empty() : list);
      }
    }
  }

  /** Checks the elements of {@code set} in order, each against the limit on their number first. */
  private void elements(SetOf set, String example, ElementCheck check) throws ExpressionException {
    List<Syntax> elements = set.elements();
    int maxSet = checker.limits.maxSet();
    for (int i = 0; i < elements.size(); i++) {
      Syntax element = elements.get(i);
      if (element instanceof Comma) {
        throw error(element.start(), "unexpected ',' in a set; Cloudflare separates set elements with spaces, as in "
            + example);
      }
      if (i >= maxSet) {
        throw error(element.start(), "a set may have at most " + maxSet + " elements");
      }
      check.check(element instanceof Syntax.Unfinished unfinished ? unfinished.node() : element);
      rest(element);
    }
    if (set.unclosed() != null) {
      throw set.unclosed().exception();
    }
    if (elements.isEmpty()) {
      throw error(set.start(), "an empty set matches nothing; write its elements separated by spaces, as in "
          + example);
    }
  }

  /** The name of the list {@code ref}, once it is known to exist and to hold what {@code left} needs. */
  private String list(Typed left, ListRef ref, Expression.Lists.Kind needed) throws ExpressionException {
    int at = ref.start();
    String name = ref.name();
    if (name.isEmpty()) {
      throw error(at, "expected a list name after '$', found " + lx.describe(at + 1));
    }
    Expression.Lists.Kind kind = lists.kind(name);
    if (kind == null) {
      if (name.indexOf('.') >= 0) {
        throw error(at, "unknown list $" + name + "; Cloudflare's managed lists are not available here, define"
            + " one of your own under its name as gatehouse.list." + name);
      }
      throw error(at, "unknown list $" + name + "; lists are defined as gatehouse.list." + name);
    }
    if (kind != needed) {
      throw error(at, "$" + name + " is " + kindName(kind) + "; " + checker.text(left) + " ("
          + left.type().withArticle + ") needs " + kindName(needed));
    }
    return name;
  }

  private static String kindName(Expression.Lists.Kind kind) {
    return switch (kind) {
      case IP -> "a list of IP addresses";
      case ASN -> "a list of AS numbers";
      case STRING -> "a list of strings";
    };
  }
}
