package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionTest {

  @Test
  void fieldsNameWhatTheExpressionReadsByCanonicalName() throws ExpressionException {
    Expression e = Expression.compile("(ip.geoip.country in {\"CN\"} and not cf.bot_management.verified_bot)"
        + " or any(http.request.headers[\"accept\"][*] contains \"x\") or len(http.request.uri.path) gt 5",
        Expression.Lists.NONE);
    assertThat(e.fields()).containsExactlyInAnyOrder("ip.src.country", "cf.client.bot", "http.request.headers",
        "http.request.uri.path");
    assertThat(Expression.compile("cf.threat_score ge 50", Expression.Lists.NONE).fields())
        .containsExactly("cf.threat_score");
    assertThatThrownBy(() -> e.fields().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void sourceIsTheExpressionAsWritten() throws ExpressionException {
    String source = "  (cf.threat_score ge 50)\n";
    Expression e = Expression.compile(source, Expression.Lists.NONE);
    assertThat(e.source()).isEqualTo(source);
    assertThat(e).hasToString(source);
  }

  @Test
  void anExceptionCarriesTheColumnTheProblemAndACaret() {
    String source = "http.request.urii eq \"/\"";
    ExpressionException e = catchException(source);
    assertThat(e.column()).isEqualTo(1);
    assertThat(e.problem()).isEqualTo("unknown field 'http.request.urii'; did you mean 'http.request.uri'?");
    assertThat(e.getMessage()).isEqualTo("col 1: " + e.problem());
    assertThat(e.caret(source)).isEqualTo(source + "\n^");

    String tabbed = "http.host\teq\t5";
    ExpressionException t = catchException(tabbed);
    assertThat(t.column()).isEqualTo(14);
    assertThat(t.caret(tabbed)).isEqualTo("http.host eq 5\n             ^");
  }

  @Test
  void theCaretOfAnErrorAtTheEndPointsJustPastTheSource() {
    String source = "(cf.client.bot";
    ExpressionException e = catchException(source);
    assertThat(e.column()).isEqualTo(15);
    assertThat(e.caret(source)).isEqualTo("(cf.client.bot\n              ^");
  }

  @Test
  void columnsCountFromTheStartOfAMultiLineExpression() {
    String source = "http.host eq \"a\"\nand ip.src contains \"x\"";
    assertThat(catchException(source).column()).isEqualTo(29);
  }

  private static ExpressionException catchException(String source) {
    try {
      Expression.compile(source, Expression.Lists.NONE);
    } catch (ExpressionException e) {
      return e;
    }
    throw new AssertionError("compiled " + source);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ip.src eq 192.0.2.1", "ip.src ne 192.0.2.1", "ip.src lt 192.0.2.1", "ip.src le 192.0.2.1",
      "ip.src gt 192.0.2.1", "ip.src ge 192.0.2.1", "ip.src in {0.0.0.0/0 ::/0}", "ip.src in $office_ranges"})
  void anUnknownClientAddressMakesEveryIpComparisonFalse(String source) throws ExpressionException {
    Expression e = Expression.compile(source, TestLists.STANDARD);
    assertThat(e.matches(TestRequest.of())).isFalse();
    assertThat(Expression.compile("not (" + source + ")", TestLists.STANDARD).matches(TestRequest.of())).isTrue();
  }

  @Test
  void aContextThatReturnsNullsYieldsMissingValuesNotExceptions() throws ExpressionException {
    Expression.Context nulls = new TestRequest() {
      @Override
      public String host() {
        return null;
      }

      @Override
      public List<String> header(String name) {
        return null;
      }

      @Override
      public IpAddress clientIp() {
        return null;
      }
    };
    for (String source : List.of("http.host eq \"a\"", "http.host ne \"a\"", "lower(http.host) contains \"\"",
        "len(http.host) ge 0", "http.host in {\"a\"}", "starts_with(http.host, \"\")", "http.host wildcard \"*\"",
        "http.host matches \"\"", "url_decode(http.host) lt \"z\"", "http.request.headers[\"a\"][0] eq \"b\"",
        "any(http.request.headers[\"a\"][*] eq \"b\")", "all(http.request.headers[\"a\"][*] eq \"b\")",
        "len(http.request.headers[\"a\"]) ge 0")) {
      Expression e = Expression.compile(source, Expression.Lists.NONE);
      assertThat(e.matches(nulls)).as(source).isFalse();
    }
  }

  @Test
  void aHeaderValueThatIsNullIsMissing() throws ExpressionException {
    TestRequest r = TestRequest.of().header("x", "a");
    r.headers.get("x").add(null);
    assertThat(Expression.compile("http.request.headers[\"x\"][1] ne \"a\"", Expression.Lists.NONE).matches(r)).isFalse();
    assertThat(Expression.compile("any(http.request.headers[\"x\"][*] ne \"a\")", Expression.Lists.NONE).matches(r))
        .isFalse();
    assertThat(Expression.compile("all(http.request.headers[\"x\"][*] eq \"a\")", Expression.Lists.NONE).matches(r))
        .isFalse();
  }

  @Test
  void anyAndAllFollowWirefilter() throws ExpressionException {
    Expression any = Expression.compile("any(http.request.headers[\"x\"][*] eq \"1\")", Expression.Lists.NONE);
    Expression all = Expression.compile("all(http.request.headers[\"x\"][*] eq \"1\")", Expression.Lists.NONE);
    TestRequest absent = TestRequest.of();
    TestRequest ones = TestRequest.of().header("x", "1").header("x", "1");
    TestRequest mixed = TestRequest.of().header("x", "1").header("x", "2");
    assertThat(any.matches(absent)).isFalse();
    assertThat(all.matches(absent)).isFalse();
    assertThat(any.matches(ones)).isTrue();
    assertThat(all.matches(ones)).isTrue();
    assertThat(any.matches(mixed)).isTrue();
    assertThat(all.matches(mixed)).isFalse();
  }

  @Test
  void headerNamesInBracketsMustBeLowerCaseAsCloudflareNeverMatchesOthers() throws ExpressionException {
    assertThatThrownBy(() -> Expression.compile("http.request.headers[\"User-AGENT\"][0] contains \"curl\"",
        Expression.Lists.NONE)).hasMessage("col 22: header names are lower case in http.request.headers, as in"
            + " Cloudflare, where [\"User-AGENT\"] never matches; write [\"user-agent\"]");
    Expression e = Expression.compile("http.request.headers[\"user-agent\"][0] contains \"curl\"", Expression.Lists.NONE);
    assertThat(e.matches(TestRequest.of().header("User-Agent", "curl/8"))).isTrue();
  }

  @Test
  void nestedQuantifiersIterateTheirOwnArrays() throws ExpressionException {
    Expression e = Expression.compile(
        "any(http.request.headers[\"a\"][*] eq \"1\" and any(http.request.headers[\"b\"][*] eq \"2\"))"
            + " and all(http.request.headers[\"a\"][*] in {\"0\" \"1\"})", Expression.Lists.NONE);
    assertThat(e.matches(TestRequest.of().header("a", "0").header("a", "1").header("b", "9").header("b", "2")))
        .isTrue();
    assertThat(e.matches(TestRequest.of().header("a", "1").header("a", "3").header("b", "2"))).isFalse();
  }

  @Test
  void compilingNeedsASourceAndLists() {
    assertThatThrownBy(() -> Expression.compile(null, Expression.Lists.NONE)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Expression.compile("cf.client.bot", null)).isInstanceOf(NullPointerException.class);
  }
}
