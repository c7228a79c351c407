package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the index leaves out, what it always evaluates, and its bounds. */
class RuleIndexTest {

  private static List<Expression> compile(String... sources) throws ExpressionException {
    List<Expression> rules = new ArrayList<>();
    for (String s : sources) {
      rules.add(Expression.compile(s, TestLists.STANDARD));
    }
    return rules;
  }

  private static int[] candidates(List<Expression> rules, String request) {
    Expression.Index index = Expression.Index.of(rules);
    TestRequest r = TestRequest.parse(request);
    RuleIndexProperties.assertAgree(rules, index, r);
    return index.candidates(r);
  }

  @Test
  void aRequestHoldingNoneOfTheLiteralsEvaluatesNoRule() throws ExpressionException {
    List<Expression> rules = compile(
        "http.request.uri.path eq \"/wp-admin/setup-config.php\"",
        "starts_with(http.request.uri.path, \"/internal/\") and not ip.src in {198.18.0.0/15}",
        "http.user_agent contains \"scanner\"",
        "http.request.uri.query matches \"(?i)(union.+select|<script)\"",
        "any(http.request.headers[\"x-debug\"][*] eq \"1\")",
        "ip.src in {198.19.0.0/24 203.0.113.100 2001:db8:1::/48}",
        "ip.src.country in {\"KP\" \"IR\"} and http.request.method eq \"POST\"",
        "http.host wildcard \"*.internal.example\"",
        "cf.threat_score gt 80 and http.request.method in {\"POST\" \"PUT\"} and ends_with(http.request.uri.path, \"/x\")",
        "lower(url_decode(http.request.uri.path)) contains \"/../\" or http.host in $bad_hosts");
    assertThat(Expression.Index.of(rules).alwaysEvaluated()).isZero();
    String browser = "ip=192.0.2.10 country=DE host=shop.example uri=/products/123?ref=home"
        + " ua=\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36\"";
    assertThat(candidates(rules, browser)).isEmpty();
    assertThat(candidates(rules, "ua=Scanner/2.0")).containsExactly(2);
    assertThat(candidates(rules, "uri=/a?q=x<SCRIPT")).containsExactly(3);
    assertThat(candidates(rules, "h:X-Debug=0")).containsExactly(4);
    assertThat(candidates(rules, "ip=2001:db8:1::7 method=POST country=IR")).containsExactly(5, 6);
    assertThat(candidates(rules, "host=a.INTERNAL.example")).containsExactly(7);
    assertThat(candidates(rules, "host=bad.example")).containsExactly(9);
  }

  @Test
  void ruleWithNothingToLookUpIsEvaluatedForEveryRequest() throws ExpressionException {
    List<Expression> rules = compile("http.host contains \"a\"", "not http.host contains \"b\"",
        "http.request.uri.path ne \"/\"", "cf.threat_score gt 10", "ssl", "http.host contains \"c\"");
    assertThat(Expression.Index.of(rules).alwaysEvaluated()).isEqualTo(4);
    assertThat(candidates(rules, "host=x")).containsExactly(1, 2, 3, 4);
    assertThat(candidates(rules, "host=ac")).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void caseIsFoldedAsEachComparisonFoldsIt() throws ExpressionException {
    List<Expression> rules = compile("http.user_agent matches \"(?i)kit\"", "lower(http.host) eq \"shop\"",
        "http.host strict wildcard \"Shop*\"", "upper(http.user_agent) contains \"SAFE\"");
    // U+212A KELVIN SIGN is K to RE2 under (?i), and U+017F LONG S is s.
    assertThat(candidates(rules, "ua=\u212aIT host=x")).containsExactly(0);
    assertThat(candidates(rules, "ua=\u017fafe host=SHOP")).containsExactly(1, 2, 3);
  }

  @Test
  void manyHeadersNamedAreFoundThroughTheRequestsOwnNames() throws ExpressionException {
    List<Expression> rules = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rules.add(Expression.compile("any(http.request.headers[\"x-debug-" + i + "\"][*] eq \"1\")", TestLists.STANDARD));
    }
    Expression.Index index = Expression.Index.of(rules);
    TestRequest listed = new RuleIndexProperties.ListedHeaders();
    listed.header("Accept", "*/*").header("X-Debug-7", "1").header("x-debug-30", "0");
    RuleIndexProperties.assertAgree(rules, index, listed);
    assertThat(index.candidates(listed)).containsExactly(7, 30);
    // A request that cannot list its names is asked for each name.
    TestRequest plain = TestRequest.of().header("X-Debug-7", "1");
    assertThat(index.candidates(plain)).containsExactly(7);
  }

  @Test
  void literalsBeyondTheTableBoundAreLeftToTheirRulesAndStillAgree() throws ExpressionException {
    Random random = new Random(7);
    List<Expression> rules = new ArrayList<>();
    StringBuilder alphabet = new StringBuilder();
    for (char c = '!'; c <= '~'; c++) {
      if (c != '"' && c != '\\') {
        alphabet.append(c);
      }
    }
    List<String> needles = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      StringBuilder needle = new StringBuilder();
      for (int j = 0; j < 100; j++) {
        needle.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      needles.add(needle.toString());
      rules.add(Expression.compile("http.user_agent contains \"" + needle + "\"", TestLists.STANDARD));
    }
    RuleIndex index = RuleIndex.build(rules);
    // About 60 classes: a table of 100,000 states would pass the bound, so part of the rules go unindexed.
    assertThat(index.alwaysEvaluated()).isBetween(1, 999);
    int last = rules.size() - 1;
    TestRequest r = TestRequest.parse("ua=x" + needles.get(0).replace(" ", "") + "y");
    RuleIndexProperties.assertAgree(rules, index, r);
    assertThat(index.candidates(r)).contains(0).contains(last);
  }

  @Test
  void aRequestThatPointsAtTooManyRulesIsGivenEveryRule() throws ExpressionException {
    List<Expression> rules = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      rules.add(Expression.compile("http.user_agent contains \"a" + (i % 300) + "\"", TestLists.STANDARD));
    }
    Expression.Index index = Expression.Index.of(rules);
    StringBuilder ua = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      ua.append('a').append(i).append(' ');
    }
    TestRequest r = TestRequest.of();
    r.set("ua", ua.toString());
    RuleIndexProperties.assertAgree(rules, index, r);
    assertThat(index.candidates(r)).containsExactly(IntStream.range(0, 600).toArray());
  }
}
