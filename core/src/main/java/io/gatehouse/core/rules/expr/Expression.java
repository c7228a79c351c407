package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.Nodes.Cond;
import java.util.List;
import java.util.Map;
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
 *   <li>Fields: those of Cloudflare's Rules language that make sense at the origin, in {@code Fields}:
 *       the client ({@code ip.src}, its AS, country, continent, city details from a city database), the
 *       request ({@code http.host}, {@code http.request.uri.path} normalised and {@code raw.*} as received,
 *       {@code http.request.uri.args}, {@code http.request.headers}, {@code http.request.cookies}, ...), the
 *       connection ({@code ssl}, {@code cf.edge.server_port}, the client certificate, the timestamp, the Ray
 *       ID), bots ({@code cf.client.bot}, {@code cf.verified_bot_category},
 *       {@code cf.bot_management.score}) and the body's first bytes ({@code http.request.body.*}). The old
 *       {@code ip.geoip.*} names and {@code cf.bot_management.verified_bot} are aliases.
 *   <li>Types: String, Integer, IP, Boolean, Array (of Strings), Array of Arrays (of a multipart body's
 *       names), Map of Arrays (headers by lower-case name, arguments, cookies, form fields).
 *   <li>Comparisons: {@code eq ==}, {@code ne !=}, {@code lt <}, {@code le <=}, {@code gt >}, {@code ge >=}
 *       (String, Integer, IP; IPs compare within a family), {@code contains}, {@code matches ~},
 *       {@code wildcard}, {@code strict wildcard} (String), {@code bitwise_and &} (Integer),
 *       {@code in {...}} and {@code in $list}.
 *   <li>Logic, tightest first: {@code not !}, {@code and &&}, {@code xor ^^}, {@code or ||}; parentheses.
 *   <li>Functions: {@code lower}, {@code upper}, {@code url_decode} (options {@code "r"}, {@code "u"}),
 *       {@code len}, {@code starts_with}, {@code ends_with}, {@code any}, {@code all}, and, in
 *       {@code FunctionChecker}, {@code concat}, {@code decode_base64}, {@code encode_base64},
 *       {@code cidr}, {@code cidr6}, {@code lookup_json_string}, {@code lookup_json_integer},
 *       {@code join}, {@code split}, {@code substring}, {@code remove_bytes}, {@code remove_query_args},
 *       {@code to_string}, {@code regex_replace}, {@code wildcard_replace},
 *       {@code is_timed_hmac_valid_v0}.
 *   <li>Literals: {@code "..."} with {@code \"}, {@code \\}, {@code \xHH} and octal {@code \NNN}; raw
 *       {@code r"..."}, {@code r#"..."#}; integers in decimal, hexadecimal ({@code 0x1F}) and, after a
 *       leading {@code 0}, octal; ranges {@code 8000..8999}; addresses, networks and address ranges.
 * </ul>
 *
 * <p>After {@code matches}, a quoted string keeps its backslashes for the regular expression, as in
 * wirefilter: {@code "\.php$"} is the regex {@code \.php$}. The flag {@code (?u)} is accepted and dropped,
 * since RE2/J is always in Unicode mode. A {@code wildcard} pattern is an ordinary string, so an escaped
 * star is {@code "\\*"} or {@code r"\*"}.
 *
 * <h2>Missing values</h2>
 * An absent header ({@code http.request.headers["x-nope"]}), an index past the end ({@code [3]}), an
 * unknown client address, and a {@code null} from the {@link Context} are missing values. Every
 * comparison on a missing value is false, {@code ne} included, so {@code not (x eq "a")} is true.
 * Functions pass a missing argument through ({@code len(missing)} is missing), but for {@code concat()},
 * which reads it as empty, as Cloudflare documents; input a function cannot read (bad Base64, text that is
 * not JSON) gives a missing result. As in wirefilter, {@code any()} and {@code all()} over a missing array
 * (an absent header) are both false; over a present one, {@code any()} is true when some value satisfies
 * the condition and {@code all()} when every value does.
 *
 * <h2>Differences from Cloudflare</h2>
 * Cloudflare compares bytes; values here are Java strings. {@code lower()}, {@code upper()} and
 * {@code wildcard} fold ASCII letters only, as Cloudflare does; {@code len()}, {@code substring()} and
 * {@code remove_bytes()} count UTF-8 bytes; a byte that is not valid UTF-8 becomes the character U+0080 to
 * U+00FF with its value. Fields only Cloudflare can fill ({@code cf.waf.score}, JA3, API Shield, response
 * fields) are compile errors that say so, as are the managed lists ({@code $cf.malware}) unless the lists
 * define one of that name. A header key with capitals and a lower-case country, continent or method
 * literal are compile errors too, since Cloudflare would never match them.
 *
 * <p>Instances are immutable and thread-safe: compile once, evaluate from any number of threads.
 */
public final class Expression {

  private final String source;
  private final Cond root;
  private final Set<String> fields;
  private final List<Guard.Atom> guard;

  private Expression(String source, Cond root, Set<String> fields, List<Guard.Atom> guard) {
    this.source = source;
    this.root = root;
    this.fields = fields;
    this.guard = guard;
  }

  /**
   * Compiles {@code source}, resolving {@code $name} against {@code lists} now: the expression keeps the
   * lists it was compiled with.
   *
   * @throws ExpressionException with the column and a message echoing the offending input
   */
  public static Expression compile(String source, Lists lists) throws ExpressionException {
    return compile(source, lists, Limits.DEFAULT);
  }

  static Expression compile(String source, Lists lists, Limits limits) throws ExpressionException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(lists, "lists");
    Lexer lexer = new Lexer(source);
    Syntax tree = Parser.parse(lexer, limits);
    Checker.Result checked = Checker.check(tree, lexer, lists, limits);
    return new Expression(source, Compiler.compile(checked.root()), checked.fields(), Guard.of(checked.root()));
  }

  /**
   * Whether the request matches. Never throws on any request content; an exception can only come from
   * the {@code ctx} implementation itself, and is left to the caller's failure policy.
   */
  public boolean matches(Context ctx) {
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

  /** What a request must show for this expression to match, or {@code null} when nothing is known. */
  List<Guard.Atom> guard() {
    return guard;
  }

  @Override
  public String toString() {
    return source;
  }

  /**
   * Many expressions, such as a site's custom rules, prepared to be evaluated together: for a request, the
   * index names the expressions that may match it, and every one that matches is among them, so the
   * others need not be evaluated at all. Order and answers are unchanged; only work is saved.
   *
   * <p>Most rules can match only when some literal is present: a value equal to a literal, holding it
   * ({@code contains}, {@code starts_with}, the pieces of a {@code wildcard}, the literals a regular
   * expression requires), a header sent, the client in a set of addresses. The index gathers those
   * literals from all expressions, looks each value of the request up once (a hash lookup per field
   * compared for equality, one pass per value searched for literals, whatever their number), and names
   * only the expressions whose literals it found, together with those that rest on nothing it can look
   * up ({@code not}, {@code ne}, numeric comparisons, ...), which it names for every request.
   *
   * <p>Instances are immutable and thread-safe.
   */
  public interface Index {

    /** The index of {@code expressions}, which it names by their position in the list. */
    static Index of(List<Expression> expressions) {
      return RuleIndex.build(List.copyOf(expressions));
    }

    /**
     * The positions, ascending and each once, of the expressions that may match the request: every
     * expression that matches it is among them. The array may be shared: it must not be changed. Costs an
     * allocation only when some literal is found. Never throws on any request content.
     */
    int[] candidates(Context ctx);

    /** The number of expressions. */
    int size();

    /** How many expressions are named for every request, having nothing the index can look up. */
    int alwaysEvaluated();
  }

  /**
   * The lists an expression may name with {@code $name}, defined in configuration as
   * {@code gatehouse.list.NAME}: lists of IP addresses and networks, of AS numbers, or of strings.
   *
   * <p>An expression looks its lists up once, when it is compiled, and keeps what it was given: the
   * returned index and sets must therefore be immutable (the engine recompiles its rules when lists
   * change). Implementations must be safe to read from the compiling thread.
   */
  public interface Lists {

    /** What a list holds. */
    enum Kind {
      /** IP addresses and networks, for {@code ip.src in $name}. */
      IP,
      /** AS numbers, for {@code ip.src.asnum in $name}. */
      ASN,
      /** Strings, for any String field: {@code http.host in $name}. */
      STRING
    }

    /** No lists at all. */
    Lists NONE = of(Map.of(), Map.of(), Map.of());

    /**
     * Lists held in memory, keyed by name: {@code ips} for {@link Kind#IP} lists, {@code asns} for
     * {@link Kind#ASN} and {@code strings} for {@link Kind#STRING}. The maps and sets are copied; the result
     * is immutable and thread-safe.
     *
     * @throws IllegalArgumentException when two maps hold the same name
     */
    static Lists of(Map<String, IntervalIndex<Boolean>> ips, Map<String, Set<Long>> asns,
        Map<String, Set<String>> strings) {
      return new InMemoryLists(ips, asns, strings);
    }

    /** What the list {@code name} holds, or {@code null} when there is no such list. */
    Kind kind(String name);

    /** The addresses of an {@link Kind#IP} list: any non-null value means "in the list". */
    IntervalIndex<Boolean> ips(String name);

    /** The AS numbers of an {@link Kind#ASN} list. */
    Set<Long> asns(String name);

    /** The strings of a {@link Kind#STRING} list, matched exactly (case-sensitive). */
    Set<String> strings(String name);

    /**
     * The secret configured under {@code name} ({@code gatehouse.hmac.NAME}) for
     * {@code is_timed_hmac_valid_v0("NAME", ...)}, or {@code null}: then the literal itself is the key, as
     * in Cloudflare. The default has none.
     */
    default byte[] secret(String name) {
      return null;
    }
  }

  /**
   * What an {@link Expression} reads from a request. The engine implements it lazily, so a rule that
   * never mentions the country never pays for a geo lookup; {@link Expression#fields()} says in advance
   * which values a rule reads.
   *
   * <p>Every value is taken as the request sent it: nothing here is trusted, and the expression engine
   * copes with any content (control characters, invalid percent-encoding, values of any length). A method
   * that returns {@code null} where a value is expected is treated as a missing value, so every comparison
   * on it is false.
   *
   * <p>An implementation serves one request and one thread at a time; it need not be thread-safe.
   */
  public interface Context {

    /** The client's address ({@code ip.src}), or {@code null} when it is unknown. */
    IpAddress clientIp();

    /** The client's autonomous system ({@code ip.src.asnum}), or 0 when unknown. */
    long asn();

    /** The client's ISO 3166-1 alpha-2 country ({@code ip.src.country}), or {@code XX} when unknown. */
    String country();

    /** The client's continent (AF AN AS EU NA OC SA, {@code ip.src.continent}), or {@code XX} when unknown. */
    String continent();

    /** The Host header without the port ({@code http.host}). */
    String host();

    /** The request method as sent ({@code http.request.method}). */
    String method();

    /** The path and, when there is one, {@code ?} and the query ({@code http.request.uri}). */
    String uri();

    /** The path ({@code http.request.uri.path}). */
    String path();

    /** The query without the {@code ?}, or {@code ""} when there is none ({@code http.request.uri.query}). */
    String query();

    /** The User-Agent header, or {@code ""} when absent ({@code http.user_agent}). */
    String userAgent();

    /** The Referer header, or {@code ""} when absent ({@code http.referer}). */
    String referer();

    /** The Cookie header(s) joined with {@code "; "}, or {@code ""} when absent ({@code http.cookie}). */
    String cookie();

    /**
     * Every value of one header, in arrival order, or an empty list when the request does not carry it
     * ({@code http.request.headers[...]}).
     *
     * @param lowerCaseName the header name in lower case
     */
    List<String> header(String lowerCaseName);

    /** The client's threat score, 0 (none) to 100 ({@code cf.threat_score}). */
    int threatScore();

    /** Whether the client is a verified good bot ({@code cf.client.bot}). */
    boolean verifiedBot();

    // The methods below have defaults, so that an implementation written before them still compiles: a
    // default is a missing value unless it says otherwise. The engine implements them all.

    /**
     * Whether the request carries the header at all: {@link #header} would return values. The default
     * asks {@link #header}.
     *
     * @param lowerCaseName the header name in lower case
     */
    default boolean hasHeader(String lowerCaseName) {
      List<String> values = header(lowerCaseName);
      return values != null && !values.isEmpty();
    }

    /**
     * The name of header line {@code i} in lower case, as {@link #header} knows it, for a look through the
     * request's header names; or {@code null} (the default) when the implementation cannot say, and
     * headers are then looked up by name with {@link #hasHeader}. An implementation that answers must
     * answer for every {@code i} below {@link #headerCount()}, consistently with {@link #header}.
     */
    default String headerNameLowerCase(int i) {
      return null;
    }

    /** How many slots {@link #memo()} must have. */
    int MEMO_SLOTS = 16;

    /**
     * Room for what the language computes from the request (the query's arguments, the cookies, the body's
     * form, ...), so that each is computed once per request however many rules read it: an array of
     * {@link #MEMO_SLOTS} slots, all {@code null} at first, that the caller keeps for the request. The
     * default, {@code null}, computes such values on every read.
     */
    default Object[] memo() {
      return null;
    }

    /** The path as received, percent-encoding and dot segments untouched ({@code raw.http.request.uri.path}). */
    default String rawPath() {
      return path();
    }

    /** Whether the visitor used HTTPS ({@code ssl}). Default {@code false}. */
    default boolean ssl() {
      return false;
    }

    /** The protocol of the request line, such as {@code HTTP/1.1} or {@code HTTP/2} ({@code http.request.version}). */
    default String httpVersion() {
      return null;
    }

    /** How many header lines the request has ({@code http.request.headers.names}). Default 0. */
    default int headerCount() {
      return 0;
    }

    /** The name of header line {@code i}, as sent. */
    default String headerName(int i) {
      return null;
    }

    /** The value of header line {@code i}, as sent. */
    default String headerValue(int i) {
      return null;
    }

    /** Whether some header lines were dropped because there were too many ({@code http.request.headers.truncated}). */
    default boolean headersTruncated() {
      return false;
    }

    /** The port the request arrived on ({@code cf.edge.server_port}), or -1 when unknown. */
    default long serverPort() {
      return -1;
    }

    /** The address the request arrived at ({@code cf.edge.server_ip}), or {@code null} when unknown. */
    default IpAddress serverIp() {
      return null;
    }

    /** Whether the client presented a TLS certificate ({@code cf.tls_client_auth.cert_presented}). */
    default boolean clientCertPresented() {
      return false;
    }

    /** Whether the client's certificate was verified by the server ({@code cf.tls_client_auth.cert_verified}). */
    default boolean clientCertVerified() {
      return false;
    }

    /** When the request arrived, in milliseconds since the epoch ({@code http.request.timestamp.*}), or -1. */
    default long timestampMillis() {
      return -1;
    }

    /** The request's Ray ID ({@code cf.ray_id}). */
    default String rayId() {
      return null;
    }

    /** A detail of where the client is, from a city database ({@code ip.src.city}, ...), or {@code null}. */
    default String place(Place detail) {
      return null;
    }

    /**
     * The category of the verified crawler the client is ({@code cf.verified_bot_category}: "Search Engine
     * Crawler", "AI Crawler", ...), or {@code ""} when it is none.
     */
    default String verifiedBotCategory() {
      return "";
    }

    /** The bot score, 1 (automated) to 99 (human) ({@code cf.bot_management.score}), or -1 when unknown. */
    default int botScore() {
      return -1;
    }

    /** The first bytes of the request body, buffered for the rules ({@code http.request.body.*}), or {@code null}. */
    default byte[] body() {
      return null;
    }

    /** The whole body's size in bytes ({@code http.request.body.size}), or -1 when unknown. */
    default long bodySize() {
      return -1;
    }

    /** Whether {@link #body()} holds less than the whole body ({@code http.request.body.truncated}). */
    default boolean bodyTruncated() {
      return false;
    }

    /** The details of a place that a city database gives ({@link #place}). */
    enum Place {
      /** {@code ip.src.city}. */
      CITY,
      /** {@code ip.src.region}: the first subdivision's name. */
      REGION,
      /** {@code ip.src.region_code}: the first subdivision's ISO 3166-2 code, without the country. */
      REGION_CODE,
      /** {@code ip.src.subdivision_1_iso_code}: the first subdivision's code with the country, as {@code GB-ENG}. */
      SUBDIVISION_1_ISO_CODE,
      /** {@code ip.src.postal_code}. */
      POSTAL_CODE,
      /** {@code ip.src.lat}, as text. */
      LATITUDE,
      /** {@code ip.src.lon}, as text. */
      LONGITUDE,
      /** {@code ip.src.metro_code}. */
      METRO_CODE
    }

    /**
     * The status the application answered ({@code http.response.code}), or {@link Long#MIN_VALUE} (missing)
     * while the request is being decided.
     */
    default long responseCode() {
      return Long.MIN_VALUE;
    }
  }
}
