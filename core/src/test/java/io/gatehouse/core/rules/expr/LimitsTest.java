package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Every limit is a compile error at a column, never a failure at run time. */
class LimitsTest {

  private static ExpressionException failure(String source, Limits limits) {
    try {
      Expression.compile(source, Expression.Lists.NONE, limits);
    } catch (ExpressionException e) {
      return e;
    }
    throw new AssertionError("compiled: " + source.substring(0, Math.min(80, source.length())));
  }

  private static String padTo(int length) {
    String head = "http.host eq \"";
    return head + "a".repeat(length - head.length() - 1) + "\"";
  }

  @Test
  void theSourceMayHave4096CharactersAndNoMore() throws ExpressionException {
    assertThat(Expression.compile(padTo(4096), Expression.Lists.NONE).source()).hasSize(4096);
    ExpressionException e = failure(padTo(4097), Limits.DEFAULT);
    assertThat(e.column()).isEqualTo(4097);
    assertThat(e.problem()).isEqualTo("the expression has 4097 characters; the limit is 4096");
  }

  @Test
  void nestingMayBe64LevelsDeepAndNoDeeper() throws ExpressionException {
    String ok = "(".repeat(64) + "cf.client.bot" + ")".repeat(64);
    assertThat(Expression.compile(ok, Expression.Lists.NONE).matches(TestRequest.of().set("bot", "true"))).isTrue();
    ExpressionException e = failure("(".repeat(65) + "cf.client.bot" + ")".repeat(65), Limits.DEFAULT);
    assertThat(e.column()).isEqualTo(65);
    assertThat(e.problem()).isEqualTo("the expression nests deeper than 64 levels");
  }

  @Test
  void notAndFunctionCallsCountAsNesting() throws ExpressionException {
    assertThat(Expression.compile("not ".repeat(64) + "cf.client.bot", Expression.Lists.NONE).matches(TestRequest.of()))
        .isFalse();
    assertThat(Expression.compile("not ".repeat(63) + "cf.client.bot", Expression.Lists.NONE).matches(TestRequest.of()))
        .isTrue();
    assertThat(failure("not ".repeat(65) + "cf.client.bot", Limits.DEFAULT).column()).isEqualTo(257);
    String calls = "lower(".repeat(64) + "http.host" + ")".repeat(64) + " eq \"example.com\"";
    assertThat(Expression.compile(calls, Expression.Lists.NONE).matches(TestRequest.of())).isTrue();
    String tooMany = "lower(".repeat(65) + "http.host" + ")".repeat(65) + " eq \"x\"";
    assertThat(failure(tooMany, Limits.DEFAULT).column()).isEqualTo(385);
    String mixed = "(not ".repeat(33) + "cf.client.bot" + ")".repeat(33);
    assertThat(failure(mixed, Limits.DEFAULT).problem()).isEqualTo("the expression nests deeper than 64 levels");
  }

  @Test
  void aDeepExpressionUnderTheLimitEvaluatesWithoutTroubleOnManyThreads() throws Exception {
    String source = "(".repeat(60) + "any(lower(http.request.headers[\"x\"][*])[*] eq \"a\")" + ")".repeat(60);
    Expression e = Expression.compile(source, Expression.Lists.NONE);
    Thread[] threads = new Thread[4];
    boolean[] results = new boolean[threads.length];
    for (int i = 0; i < threads.length; i++) {
      int n = i;
      threads[i] = new Thread(() -> {
        boolean all = true;
        for (int k = 0; k < 2000; k++) {
          all &= e.matches(TestRequest.of().header("x", "b").header("x", "A"));
          all &= !e.matches(TestRequest.of().header("x", "b"));
        }
        results[n] = all;
      });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(results).containsOnly(true);
  }

  @Test
  void aRegexMayHave1024CharactersAndNoMore() throws ExpressionException {
    String ok = "http.user_agent matches \"" + "a".repeat(1024) + "\"";
    assertThat(Expression.compile(ok, Expression.Lists.NONE).matches(TestRequest.of().set("ua", "a".repeat(1024)))).isTrue();
    ExpressionException e = failure("http.user_agent matches \"" + "a".repeat(1025) + "\"", Limits.DEFAULT);
    assertThat(e.column()).isEqualTo(25);
    assertThat(e.problem()).isEqualTo("a regular expression may have at most 1024 characters; this one has 1025");
    ExpressionException raw = failure("http.user_agent ~ r\"" + "b".repeat(1100) + "\"", Limits.DEFAULT);
    assertThat(raw.column()).isEqualTo(19);
  }

  @Test
  void aRegexSyntaxErrorIsReportedAtTheRegex() {
    ExpressionException e = failure("http.host eq \"a\" and http.user_agent matches \"(?i)sqlmap(\"", Limits.DEFAULT);
    assertThat(e.column()).isEqualTo(46);
    assertThat(e.problem()).isEqualTo("invalid regular expression: missing closing ): `(?i)sqlmap(`");
  }

  @Test
  void aSetMayHave10000ElementsAndNoMore() throws ExpressionException {
    // 10,000 elements do not fit in 4,096 characters; these limits lift only the source length.
    Limits roomy = new Limits(1_000_000, 64, 1024, 5000, 10_000, 4096);
    String ok = "cf.threat_score in {" + String.join(" ", Collections.nCopies(10_000, "7")) + "}";
    assertThat(Expression.compile(ok, Expression.Lists.NONE, roomy).matches(TestRequest.of().set("score", "7"))).isTrue();
    String tooMany = "cf.threat_score in {" + String.join(" ", Collections.nCopies(10_001, "7")) + "}";
    ExpressionException e = failure(tooMany, roomy);
    assertThat(e.problem()).isEqualTo("a set may have at most 10000 elements");
    assertThat(e.column()).isEqualTo(21 + 2 * 10_000);
  }

  @Test
  void aSetLimitBelowTheSourceLimitIsReachedAtTheFirstElementTooMany() {
    Limits small = new Limits(4096, 64, 1024, 5000, 3, 4096);
    ExpressionException e = failure("http.request.method in {\"A\" \"B\" \"C\" \"D\"}", small);
    assertThat(e.column()).isEqualTo(37);
    assertThat(e.problem()).isEqualTo("a set may have at most 3 elements");
  }

  @Test
  void aStringLiteralMayHave4096CharactersAndNoMore() throws ExpressionException {
    Limits roomy = new Limits(1_000_000, 64, 1024, 5000, 10_000, 4096);
    String ok = "http.user_agent eq \"" + "x".repeat(4096) + "\"";
    assertThat(Expression.compile(ok, Expression.Lists.NONE, roomy).matches(TestRequest.of().set("ua", "x".repeat(4096))))
        .isTrue();
    ExpressionException e = failure("http.user_agent eq r\"" + "x".repeat(4097) + "\"", roomy);
    assertThat(e.column()).isEqualTo(20);
    assertThat(e.problem()).isEqualTo("a string may have at most 4096 characters; this one has 4097");
  }

  @Test
  void limitsApplyThroughThePublicEntryPoint() {
    assertThatThrownBy(() -> Expression.compile("x".repeat(5000), Expression.Lists.NONE))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("col 4097: the expression has 5000 characters; the limit is 4096");
  }
}
