package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Indexed and plain evaluation agree: on random rule sets and random requests, the rules that match when
 * every one is evaluated are exactly the indexed candidates that match, and the candidates come in file
 * order, each once. So the first terminating rule, and every {@code log} rule before it, are the same
 * either way.
 *
 * <p>Two sources of rules: {@link Vocabulary}, whose rules and requests share a few short literals (with
 * their case variants, the two characters RE2 folds to ASCII, and percent-encodings) so that rules match
 * often and literals overlap; and {@link ExpressionGenerator}, which covers every construct of the language,
 * against hostile requests.
 */
class RuleIndexProperties {

  private static int compiled;
  private static int refused;
  // Over the vocabulary's rule sets: rule evaluations without the index, with it, and matches.
  private static long plainEvaluations;
  private static long indexedEvaluations;
  private static long matches;

  @net.jqwik.api.lifecycle.AfterContainer
  static void mostVocabularyRulesCompile() {
    System.out.printf("vocabulary: %d refused, %d compiled; %d evaluations plain, %d indexed, %d matches%n",
        refused, compiled, plainEvaluations, indexedEvaluations, matches);
    assertThat(refused).as("refused of %s compiled", compiled).isLessThan(compiled / 4 + 1);
    // The property means something only if rules match often and the index leaves many out.
    assertThat(matches).as("matches").isGreaterThan(plainEvaluations / 20);
    assertThat(indexedEvaluations).as("evaluations with the index").isLessThan(plainEvaluations * 3 / 4);
  }

  @Property(tries = 400)
  void indexedAndPlainEvaluationAgreeOnSharedLiterals(@ForAll long seed) throws ExpressionException {
    Random random = new Random(seed);
    Vocabulary v = new Vocabulary(random);
    int count = 1 + random.nextInt(random.nextBoolean() ? 12 : 80);
    List<Expression> rules = new ArrayList<>();
    while (rules.size() < count) {
      try {
        rules.add(Expression.compile(v.condition(0), TestLists.STANDARD));
      } catch (ExpressionException e) {
        // A lower-case literal for the country or the method: a rule Cloudflare would never match, refused.
        refused++;
      }
    }
    compiled += count;
    Expression.Index index = Expression.Index.of(rules);
    for (int r = 0; r < 20; r++) {
      TestRequest request = v.request(random.nextBoolean());
      int agreed = assertAgree(rules, index, request);
      plainEvaluations += rules.size();
      indexedEvaluations += index.candidates(request).length;
      matches += agreed;
    }
  }

  @Property(tries = 300)
  void indexedAndPlainEvaluationAgreeOnEveryConstruct(@ForAll long seed) throws ExpressionException {
    Random random = new Random(seed);
    ExpressionGenerator g = new ExpressionGenerator(random);
    int count = 1 + random.nextInt(30);
    List<Expression> rules = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rules.add(Expression.compile(g.condition(0), TestLists.STANDARD));
    }
    Expression.Index index = Expression.Index.of(rules);
    String[] values = {"", "GET", "/admin", "a", "A", "%61", "<script", "*", "x=1&q=a", "192.0.2.1", "é☁😀",
        "\u212a", "sqlmap", "/api/v1", "example.com", "\"", "\\"};
    for (int r = 0; r < 10; r++) {
      String value = values[random.nextInt(values.length)] + values[random.nextInt(values.length)];
      String other = values[random.nextInt(values.length)];
      TestRequest request = EvaluationProperties.hostileRequest(value, other, random);
      assertAgree(rules, index, request);
    }
  }

  /** Asserts that both ways give the same matching rules, and returns how many match. */
  static int assertAgree(List<Expression> rules, Expression.Index index, Expression.Context request) {
    int[] candidates = index.candidates(request);
    for (int i = 1; i < candidates.length; i++) {
      assertThat(candidates[i]).as("candidates ascending, each once").isGreaterThan(candidates[i - 1]);
    }
    List<Integer> plain = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matches(request)) {
        plain.add(i);
      }
    }
    List<Integer> indexed = new ArrayList<>();
    for (int i : candidates) {
      assertThat(i).isBetween(0, rules.size() - 1);
      if (rules.get(i).matches(request)) {
        indexed.add(i);
      }
    }
    assertThat(indexed).as("matching rules of %s against %s (%s)", rules, request, index).isEqualTo(plain);
    return plain.size();
  }

  /** Rules and requests from a small shared vocabulary. */
  static final class Vocabulary {
    private static final String[] PIECES = {"a", "b", "A", "B", "ab", "/", "/ad", "%61", "%2F", "+", "x", "K",
        "k", "\u212a", "s", "S", "\u017f", "é", "1", "-", "*", "ba", "aB"};
    private static final String[] FIELDS = {"http.request.uri.path", "http.host", "http.request.method",
        "http.user_agent", "http.request.uri.query", "ip.src.country", "http.referer", "http.cookie",
        "http.request.uri", "raw.http.request.uri.path", "http.request.headers[\"x-a\"][0]",
        "http.request.headers[\"x-b\"][1]"};
    private static final String[] REGEXES = {"(?i)ab", "a.+b", "^/ad", "ab|x", "(?i)k", "b+", "(?i)s1", "a\\*",
        "^$", "[ab]", "(?i)(ab|%61)+x"};
    private static final String[] HEADERS = {"x-a", "x-b", "x-c", "user-agent", "accept"};
    private static final String[] ADDRESSES = {"192.0.2.1", "192.0.2.0/28", "2001:db8::/32", "198.51.100.7",
        "10.0.0.0/8", "::ffff:192.0.2.1", "192.0.2.5..192.0.2.9"};
    private static final String[] CLIENTS = {"192.0.2.1", "192.0.2.7", "198.51.100.7", "10.1.2.3", "2001:db8::1",
        "203.0.113.9"};

    private final Random random;

    Vocabulary(Random random) {
      this.random = random;
    }

    private String pick(String[] items) {
      return items[random.nextInt(items.length)];
    }

    /** A few pieces joined: the text both literals and request values are made of. */
    String text(int max) {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(max + 1);
      for (int i = 0; i < n; i++) {
        s.append(pick(PIECES));
      }
      return s.toString();
    }

    private static String quote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private String literal() {
      return quote(text(3));
    }

    private String field() {
      String f = pick(FIELDS);
      return switch (random.nextInt(8)) {
        case 0 -> "lower(" + f + ")";
        case 1 -> "upper(" + f + ")";
        case 2 -> "url_decode(" + f + ")";
        case 3 -> "lower(url_decode(" + f + "))";
        default -> f;
      };
    }

    String condition(int depth) {
      int choice = random.nextInt(depth >= 3 ? 14 : 19);
      return switch (choice) {
        case 0 -> field() + " eq " + literal();
        case 1 -> field() + " contains " + literal();
        case 2 -> "starts_with(" + field() + ", " + literal() + ")";
        case 3 -> "ends_with(" + field() + ", " + literal() + ")";
        case 4 -> field() + " matches " + quote(pick(REGEXES));
        case 5 -> field() + (random.nextBoolean() ? " wildcard " : " strict wildcard ")
            + quote(text(2).replace("*", "") + "*" + text(2).replace("*", ""));
        case 6 -> field() + " in {" + literal() + " " + literal() + "}";
        case 7 -> "any(http.request.headers[\"" + pick(HEADERS) + "\"][*] " + (random.nextBoolean() ? "eq " : "contains ")
            + literal() + ")";
        case 8 -> "all(http.request.headers[\"" + pick(HEADERS) + "\"][*] ne " + literal() + ")";
        case 9 -> "len(http.request.headers[\"" + pick(HEADERS) + "\"][0]) gt " + random.nextInt(3);
        case 10 -> "ip.src " + (random.nextBoolean() ? "eq " + pick(CLIENTS) : "in {" + pick(ADDRESSES) + " "
            + pick(ADDRESSES) + "}");
        case 11 -> field() + (random.nextBoolean() ? " ne " : " lt ") + literal();
        case 12 -> (random.nextBoolean() ? "any" : "all") + "(http.request.uri.args.values[*] contains " + literal()
            + (random.nextBoolean() ? ")" : " and " + field() + " contains " + literal() + ")");
        case 13 -> "concat(" + pick(FIELDS) + ", " + literal() + ") contains " + literal();
        case 14 -> "not " + condition(depth + 1);
        case 15 -> "(" + condition(depth + 1) + " and " + condition(depth + 1) + ")";
        case 16 -> "(" + condition(depth + 1) + " or " + condition(depth + 1) + ")";
        case 17 -> "(" + condition(depth + 1) + " xor " + condition(depth + 1) + ")";
        default -> "(" + condition(depth + 1) + " and " + condition(depth + 1) + " or " + condition(depth + 1) + ")";
      };
    }

    /**
     * A request whose values are made of the same pieces. With {@code listed}, it names its headers in
     * lower case through {@link Expression.Context#headerNameLowerCase}, as the engine's requests do.
     */
    TestRequest request(boolean listed) {
      TestRequest r = listed ? new ListedHeaders() : TestRequest.of();
      r.set("uri", "/" + text(4) + (random.nextBoolean() ? "?" + text(2) + "=" + text(3) : ""));
      r.host = text(3) + ".example";
      r.method = random.nextInt(3) == 0 ? text(2) : "GET";
      r.country = random.nextBoolean() ? "XX" : text(1).toUpperCase(Locale.ROOT);
      if (random.nextBoolean()) {
        r.set("ua", text(6));
      }
      if (random.nextBoolean()) {
        r.set("referer", text(3));
      }
      if (random.nextBoolean()) {
        r.set("cookie", text(3));
      }
      for (String name : HEADERS) {
        int values = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
        for (int i = 0; i < values && !name.equals("user-agent"); i++) {
          r.header(random.nextBoolean() ? name : name.toUpperCase(Locale.ROOT), text(3));
        }
      }
      r.ip = random.nextInt(5) == 0 ? null : IpAddress.parse(pick(CLIENTS));
      return r;
    }
  }

  /** A request that lists its header names in lower case. */
  static final class ListedHeaders extends TestRequest {
    @Override
    public String headerNameLowerCase(int i) {
      return headerName(i).toLowerCase(Locale.ROOT);
    }
  }
}
