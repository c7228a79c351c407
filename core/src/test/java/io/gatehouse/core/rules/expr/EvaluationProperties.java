package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.gatehouse.core.net.IpAddress;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Evaluation never throws: random expressions from {@link ExpressionGenerator} against hostile requests
 * (control characters, lone surrogates, percent garbage, 10 KB values, no client address, many header
 * values). And compiling any text at all either succeeds or throws {@link ExpressionException}.
 */
class EvaluationProperties {

  private static final String MUTATIONS = "()[]{}\"\\*$,.:/-#r! ";

  @Property(tries = 1500)
  void evaluationNeverThrowsOnHostileRequests(@ForAll("expressions") String source, @ForAll("hostile") String value,
      @ForAll("hostile") String other, @ForAll long seed) throws ExpressionException {
    Expression e = Expression.compile(source, TestLists.STANDARD);
    TestRequest r = hostileRequest(value, other, new Random(seed));
    assertThatCode(() -> e.matches(r)).as(source).doesNotThrowAnyException();
    // Evaluation is a pure function of the request.
    assertThat(e.matches(r)).isEqualTo(e.matches(r));
  }

  @Property(tries = 500)
  void everyGeneratedExpressionCompilesAndNamesOnlyKnownFields(@ForAll("expressions") String source)
      throws ExpressionException {
    Expression e = Expression.compile(source, TestLists.STANDARD);
    assertThat(Fields.names()).containsAll(e.fields());
  }

  @Property(tries = 3000)
  void compilingArbitraryTextThrowsNothingButExpressionException(@ForAll("soup") String source) {
    try {
      Expression.compile(source, TestLists.STANDARD);
    } catch (ExpressionException e) {
      assertThat(e.column()).as(source).isBetween(1, source.length() + 1);
      assertThat(e.problem()).isNotBlank();
      assertThat(e.caret(source)).contains("^");
    }
  }

  @Property(tries = 2000)
  void compilingAMutatedExpressionThrowsNothingButExpressionException(@ForAll("expressions") String source,
      @ForAll long seed) {
    Random random = new Random(seed);
    StringBuilder mutated = new StringBuilder(source);
    for (int i = 0; i < 1 + random.nextInt(3) && mutated.length() > 0; i++) {
      int at = random.nextInt(mutated.length());
      switch (random.nextInt(3)) {
        case 0 -> mutated.deleteCharAt(at);
        case 1 -> mutated.insert(at, MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
        default -> mutated.setCharAt(at, (char) random.nextInt(128));
      }
    }
    String text = mutated.toString();
    try {
      Expression.compile(text, TestLists.STANDARD).matches(hostileRequest("%", "\u0000", random));
    } catch (ExpressionException e) {
      assertThat(e.column()).as(text).isBetween(1, text.length() + 1);
    }
  }

  @Provide
  Arbitrary<String> expressions() {
    return Arbitraries.longs().map(seed -> new ExpressionGenerator(new Random(seed)).condition(0));
  }

  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> percent = Arbitraries.strings().withChars("%0123456789abcdefABCDEFuU+gz/\\.").ofMaxLength(30);
    Arbitrary<String> control = Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(10);
    Arbitrary<String> surrogates = Arbitraries.strings().withCharRange('\ud7f0', '\ue010').ofMaxLength(10);
    Arbitrary<String> huge = Arbitraries.of("a", "%", "%25", "\u0000", "é", "*", "\ud800", "ab%c0%af")
        .map(s -> s.repeat(10_240 / s.length()));
    Arbitrary<String> fixed = Arbitraries.of("", "GET", "/admin", "example.com", "192.0.2.1", "XX", "%zz%4",
        "%u2601", "%C0%AF", "/wp-login.php?x=%00");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, anything), net.jqwik.api.Tuple.of(3, percent), net.jqwik.api.Tuple.of(1, control),
        net.jqwik.api.Tuple.of(1, surrogates), net.jqwik.api.Tuple.of(1, huge), net.jqwik.api.Tuple.of(2, fixed));
  }

  @Provide
  Arbitrary<String> soup() {
    List<String> tokens = List.of("http.host", "ip.src", "cf.threat_score", "cf.client.bot", "http.request.headers",
        "[\"a\"]", "[0]", "[*]", "[", "]", "(", ")", "{", "}", "any(", "all(", "lower(", "len(", "url_decode(",
        "starts_with(", ",", "eq", "==", "!=", "ne", "lt", "<", ">=", "contains", "matches", "~", "wildcard", "strict",
        "in", "not", "!", "and", "&&", "or", "||", "xor", "^^", "\"a\"", "\"", "r#\"", "\"#", "r\"x\"", "\\", "5",
        "-1", "1..2", "..", "192.0.2.1", "10.0.0.0/8", "10.0.0.1/8", "::1", "2001:db8::/32", "$bad_hosts", "$",
        "$nope", "*", "\"(\"", "\"**\"", "é", "\u0000", "\n", "concat(", "split(", "substring(", "cidr(",
        "lookup_json_string(", "is_timed_hmac_valid_v0(", "regex_replace(", "wildcard_replace(", "to_string(", "0x1F",
        "017", "08", "&", "bitwise_and", "\"\\x4\"", "\"\\400\"", "\"\\x2e\"", "[*][0]",
        "http.request.body.multipart.names", "http.request.uri.args", "http.request.cookies", "$cf.vpn", "ssl",
        "\"(?u)\"");
    return Arbitraries.of(tokens).list().ofMaxSize(12)
        .map(list -> String.join(" ", list))
        .injectDuplicates(0.01);
  }

  static TestRequest hostileRequest(String value, String other, Random random) {
    TestRequest r = TestRequest.of();
    List<String> values = List.of(value, other);
    r.ip = switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> IpAddress.ofV4(random.nextInt());
      case 2 -> IpAddress.ofV6(random.nextLong(), random.nextLong());
      default -> IpAddress.parse(random.nextBoolean() ? "192.0.2.1" : "2001:db8:1::1");
    };
    r.asn = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(70_000);
    r.country = values.get(random.nextInt(2));
    r.continent = values.get(random.nextInt(2));
    r.host = values.get(random.nextInt(2));
    r.method = values.get(random.nextInt(2));
    r.path = values.get(random.nextInt(2));
    r.query = values.get(random.nextInt(2));
    r.userAgent = values.get(random.nextInt(2));
    r.referer = values.get(random.nextInt(2));
    r.cookie = values.get(random.nextInt(2));
    r.score = random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(101);
    r.bot = random.nextBoolean();
    r.ssl = random.nextBoolean();
    r.version = values.get(random.nextInt(2));
    r.port = random.nextInt(3) == 0 ? -1 : random.nextInt(70_000);
    r.cert = List.of("none", "presented", "verified").get(random.nextInt(3));
    r.time = random.nextInt(3) == 0 ? -1 : random.nextLong() & Long.MAX_VALUE;
    r.ray = values.get(random.nextInt(2));
    for (Expression.Context.Place p : Expression.Context.Place.values()) {
      if (random.nextBoolean()) {
        r.places.put(p, values.get(random.nextInt(2)));
      }
    }
    r.category = values.get(random.nextInt(2));
    r.botScore = random.nextInt(3) == 0 ? -1 : random.nextInt(100);
    if (random.nextInt(4) != 0) {
      byte[] body = new byte[random.nextInt(200)];
      random.nextBytes(body);
      String text = values.get(random.nextInt(2));
      byte[] textBytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      r.body = random.nextBoolean() ? textBytes : body;
      r.bodySize = random.nextInt(3) == 0 ? -1 : r.body.length + random.nextInt(100);
      r.truncated = random.nextBoolean();
      r.header("content-type", List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=" + text,
          "multipart/form-data; boundary=a", text).get(random.nextInt(4)));
    }
    for (String header : List.of("x", "accept", "x-forwarded-for", "cookie", "user-agent")) {
      int count = random.nextInt(4);
      for (int i = 0; i < count; i++) {
        r.header(header, values.get(random.nextInt(2)));
      }
    }
    return r;
  }
}
