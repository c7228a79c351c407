package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import io.gatehouse.core.rules.expr.prefilter.Prefilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RegexesTest {

  private static boolean matches(String expression, String userAgent) throws ExpressionException {
    return Expression.compile(expression, Expression.Lists.NONE).matches(TestRequest.of().set("ua", userAgent));
  }

  private static Pattern compile(String regex) {
    return Prefilter.compileRegex(regex, Limits.DEFAULT.maxRegex(), Limits.DEFAULT.maxRegexProgram());
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
  void tooLargeProgramsAreRejectedWithoutBuildingThem() {
    assertThatThrownBy(() -> compile("(((a{1000}){1000}){1000}){1000}"))
        .hasMessageStartingWith("the regular expression is too large");
    assertThat(compile("[a-z]{1000}[0-9]{1000}").programSize()).isLessThan(5000);
  }

  @Test
  void syntaxErrorsEchoTheOffendingPart() {
    assertThatThrownBy(() -> compile("a(b"))
        .hasMessage("invalid regular expression: missing closing ): `a(b`");
    assertThatThrownBy(() -> compile("(?<name"))
        .hasMessageStartingWith("invalid regular expression: ");
  }
}
