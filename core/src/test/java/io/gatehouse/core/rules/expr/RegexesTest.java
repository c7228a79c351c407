package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RegexesTest {

  private static boolean matches(String expression, String userAgent) throws ExpressionException {
    return Expression.compile(expression, NamedLists.NONE).matches(TestRequest.of().set("ua", userAgent));
  }

  @Test
  void matchesSearchesAnywhereInTheValueUnlessAnchored() throws ExpressionException {
    assertThat(matches("http.user_agent matches \"bot\"", "Googlebot/2.1")).isTrue();
    assertThat(matches("http.user_agent matches \"^bot\"", "Googlebot/2.1")).isFalse();
    assertThat(matches("http.user_agent ~ \"2\\.1$\"", "Googlebot/2.1")).isTrue();
  }

  @Test
  void quotedRegexesKeepTheirBackslashesAsWirefilterDoes() throws ExpressionException {
    // "\d" is the regex \d; "\\d" is the regex \\d (a backslash, then d).
    assertThat(matches("http.user_agent matches \"\\d\"", "v1")).isTrue();
    assertThat(matches("http.user_agent matches \"\\\\d\"", "v1")).isFalse();
    assertThat(matches("http.user_agent matches \"\\\\d\"", "a\\d")).isTrue();
    assertThat(matches("http.user_agent matches r\"\\d\"", "v1")).isTrue();
    assertThat(matches("http.user_agent matches r#\"\"\\d\"\"#", "say \"1\"")).isTrue();
  }

  @Test
  void dotDoesNotMatchANewlineAndFlagsWork() throws ExpressionException {
    assertThat(matches("http.user_agent matches \"a.b\"", "a\nb")).isFalse();
    assertThat(matches("http.user_agent matches \"(?s)a.b\"", "a\nb")).isTrue();
    assertThat(matches("http.user_agent matches \"(?i)SQLMAP\"", "sqlmap")).isTrue();
  }

  @Test
  @Timeout(10)
  void catastrophicPatternsRunInLinearTime() throws ExpressionException {
    String attack = "a".repeat(20_000) + "!";
    assertThat(matches("http.user_agent matches \"^(a+)+$\"", attack)).isFalse();
    assertThat(matches("http.user_agent matches \"(a|aa)*b\"", attack)).isFalse();
    assertThat(matches("http.user_agent matches \"(.*a){20}\"", attack)).isTrue();
  }

  @Test
  void programSizeIsEstimatedBeforeCompiling() {
    assertThat(Regexes.estimateProgramSize("abc")).isBetween(3L, 10L);
    assertThat(Regexes.estimateProgramSize("[a-z]{1000}")).isBetween(1000L, 3000L);
    assertThat(Regexes.estimateProgramSize("((a{1000}){1000}){1000}")).isGreaterThan(1_000_000_000L);
    assertThat(Regexes.estimateProgramSize("\\Q((((\\E")).isLessThan(20L);
    assertThat(Regexes.estimateProgramSize("[({]{2}")).isLessThan(20L);
    assertThat(Regexes.estimateProgramSize("a{,5}{x}")).isLessThan(20L);
  }

  @Test
  void tooLargeProgramsAreRejectedWithoutBuildingThem() {
    Limits limits = Limits.DEFAULT;
    assertThatThrownBy(() -> Regexes.compile("(((a{1000}){1000}){1000}){1000}", limits))
        .hasMessageStartingWith("the regular expression is too large");
    assertThat(Regexes.compile("[a-z]{1000}[0-9]{1000}", limits).programSize()).isLessThan(5000);
  }

  @Test
  void syntaxErrorsEchoTheOffendingPart() {
    assertThatThrownBy(() -> Regexes.compile("a(b", Limits.DEFAULT))
        .hasMessage("invalid regular expression: missing closing ): `a(b`");
    assertThatThrownBy(() -> Regexes.compile("(?<name", Limits.DEFAULT))
        .hasMessageStartingWith("invalid regular expression: ");
  }
}
