package io.gatehouse.core.rules.expr;

import io.gatehouse.core.rules.expr.Nodes.Cond;
import java.util.Objects;
import java.util.Set;

/**
 * A compiled rule expression in Cloudflare's Rules language (the wirefilter dialect), such as
 * {@code (http.request.uri.path contains "/wp-login.php" and ip.src ne 203.0.113.1)}, so that
 * expressions copied from the Cloudflare dashboard work unchanged.
 *
 * <p>Compilation parses, type-checks and turns the expression into a tree of small functions: regular
 * expressions are compiled once (RE2/J, linear time), IP sets become an
 * {@link io.gatehouse.core.net.IntervalIndex}, string sets hash sets and integer sets sorted ranges.
 * Every error is reported at compile time with its column; evaluation does no checking.
 *
 * <h2>The language</h2>
 * <ul>
 *   <li>Fields: {@code ip.src} (IP); {@code ip.src.asnum}, {@code cf.threat_score} (Integer);
 *       {@code ip.src.country}, {@code ip.src.continent}, {@code http.host}, {@code http.request.method},
 *       {@code http.request.uri}, {@code http.request.uri.path}, {@code http.request.uri.query},
 *       {@code http.user_agent}, {@code http.referer}, {@code http.cookie} (String);
 *       {@code http.request.headers} (Map of Arrays of String, keyed by lower-case name: {@code ["name"][0]},
 *       or {@code [*]} inside {@code any()}/{@code all()}); {@code cf.client.bot} (Boolean). The old names
 *       {@code ip.geoip.asnum}, {@code ip.geoip.country}, {@code ip.geoip.continent} and
 *       {@code cf.bot_management.verified_bot} are aliases.
 *   <li>Comparisons: {@code eq ==}, {@code ne !=}, {@code lt <}, {@code le <=}, {@code gt >}, {@code ge >=}
 *       (String, Integer, IP; IPs compare within a family), {@code contains}, {@code matches ~},
 *       {@code wildcard}, {@code strict wildcard} (String), {@code in {...}} and {@code in $list}.
 *   <li>Logic, tightest first: {@code not !}, {@code and &&}, {@code xor ^^}, {@code or ||}; parentheses.
 *   <li>Functions: {@code lower}, {@code upper}, {@code url_decode} (options {@code "r"}, {@code "u"}),
 *       {@code len} (String or Array), {@code starts_with}, {@code ends_with}, {@code any}, {@code all}.
 *   <li>Literals: {@code "..."} with {@code \"} and {@code \\}; raw {@code r"..."}, {@code r#"..."#};
 *       decimal integers and ranges {@code 8000..8999}; addresses, networks and address ranges.
 * </ul>
 *
 * <p>After {@code matches}, a quoted string keeps its backslashes for the regular expression, as in
 * wirefilter: {@code "\.php$"} is the regex {@code \.php$}. A {@code wildcard} pattern is an ordinary
 * string, so an escaped star is {@code "\\*"} or {@code r"\*"}.
 *
 * <h2>Missing values</h2>
 * An absent header ({@code http.request.headers["x-nope"]}), an index past the end ({@code [3]}), an
 * unknown client address, and a {@code null} from the {@link RequestContext} are missing values. Every
 * comparison on a missing value is false, {@code ne} included, so {@code not (x eq "a")} is true.
 * Functions pass a missing argument through ({@code len(missing)} is missing). As in wirefilter,
 * {@code any()} and {@code all()} over a missing array (an absent header) are both false; over a present
 * header, {@code any()} is true when some value satisfies the condition and {@code all()} when every value
 * does.
 *
 * <h2>Differences from Cloudflare</h2>
 * Cloudflare compares bytes; values here are Java strings. {@code lower()}, {@code upper()} and
 * {@code wildcard} fold ASCII letters only, as Cloudflare does; {@code len()} counts UTF-8 bytes;
 * {@code url_decode()} turns decoded bytes that are not valid UTF-8 into the characters U+0080 to U+00FF
 * one by one. String literals accept only the escapes {@code \"} and {@code \\} (wirefilter also reads
 * {@code \xHH} and octal escapes). Fields, functions and managed lists that Gatehouse cannot fill
 * ({@code http.request.body.*}, {@code cf.waf.score}, {@code $cf.malware}, ...) are compile errors.
 *
 * <p>Instances are immutable and thread-safe: compile once, evaluate from any number of threads.
 */
public final class Expression {

  private final String source;
  private final Cond root;
  private final Set<String> fields;

  private Expression(String source, Cond root, Set<String> fields) {
    this.source = source;
    this.root = root;
    this.fields = fields;
  }

  /**
   * Compiles {@code source}, resolving {@code $name} against {@code lists} now: the expression keeps the
   * lists it was compiled with.
   *
   * @throws ExpressionException with the column and a message echoing the offending input
   */
  public static Expression compile(String source, NamedLists lists) throws ExpressionException {
    return compile(source, lists, Limits.DEFAULT);
  }

  static Expression compile(String source, NamedLists lists, Limits limits) throws ExpressionException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(lists, "lists");
    Lexer lexer = new Lexer(source);
    Syntax tree = Parser.parse(lexer, limits);
    Checker.Result checked = Checker.check(tree, lexer, lists, limits);
    return new Expression(source, Compiler.compile(checked.root()), checked.fields());
  }

  /**
   * Whether the request matches. Never throws on any request content; an exception can only come from
   * the {@code ctx} implementation itself, and is left to the caller's failure policy.
   */
  public boolean matches(RequestContext ctx) {
    return root.test(Objects.requireNonNull(ctx, "ctx"));
  }

  /** The expression as written. */
  public String source() {
    return source;
  }

  /**
   * The canonical names of the fields the expression reads ({@code ip.src}, {@code ip.src.country},
   * {@code http.request.headers}, ...; aliases such as {@code ip.geoip.country} are reported by their
   * canonical name), so the engine knows whether it needs geo data or a threat score.
   */
  public Set<String> fields() {
    return fields;
  }

  @Override
  public String toString() {
    return source;
  }
}
