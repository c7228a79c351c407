package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Precedence is not &gt; and &gt; xor &gt; or, in both spellings: each expression must agree with its fully
 * parenthesised reading on every assignment of its variables, which are the headers a, b, c and d.
 */
class PrecedenceTest {

  private static final List<String> VARIABLES = List.of("a", "b", "c", "d");

  /** {@code a} stands for {@code http.request.headers["a"][0] eq "1"}. */
  private static String expand(String shorthand) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < shorthand.length(); i++) {
      char c = shorthand.charAt(i);
      boolean variable = c >= 'a' && c <= 'd'
          && (i == 0 || !Character.isLetter(shorthand.charAt(i - 1)))
          && (i + 1 == shorthand.length() || !Character.isLetter(shorthand.charAt(i + 1)));
      out.append(variable ? "http.request.headers[\"" + c + "\"][0] eq \"1\"" : String.valueOf(c));
    }
    return out.toString();
  }

  private static void assertSameOnEveryAssignment(String expression, String parenthesised) throws ExpressionException {
    Expression e = Expression.compile(expand(expression), Expression.Lists.NONE);
    Expression p = Expression.compile(expand(parenthesised), Expression.Lists.NONE);
    for (int bits = 0; bits < 1 << VARIABLES.size(); bits++) {
      TestRequest r = TestRequest.of();
      for (int v = 0; v < VARIABLES.size(); v++) {
        r.header(VARIABLES.get(v), (bits >> v & 1) == 1 ? "1" : "0");
      }
      assertThat(e.matches(r)).as("%s with a..d = %s", expression, Integer.toBinaryString(bits))
          .isEqualTo(p.matches(r));
    }
  }

  @ParameterizedTest(name = "{0}  reads as  {1}")
  @CsvSource(delimiterString = "=>", value = {
      "a or b and c => a or (b and c)",
      "a and b or c => (a and b) or c",
      "a xor b and c => a xor (b and c)",
      "a and b xor c => (a and b) xor c",
      "a or b xor c => a or (b xor c)",
      "a xor b or c => (a xor b) or c",
      "not a and b => (not a) and b",
      "not a or b => (not a) or b",
      "not a xor b => (not a) xor b",
      "a or not b and c => a or ((not b) and c)",
      "a and b xor c or d => ((a and b) xor c) or d",
      "a or b xor c and d => a or (b xor (c and d))",
      "a xor b xor c => (a xor b) xor c",
      "not not a => a",
      "not (a or b) => (not a) and (not b)",
      "a || b && c => a or (b and c)",
      "a ^^ b && c => a xor (b and c)",
      "a && b ^^ c || d => ((a and b) xor c) or d",
      "!a && b => (not a) and b",
      "! a || !b => (not a) or (not b)",
      "a and b or c and d => (a and b) or (c and d)",
      "a && b or c and d || a => ((a and b) or (c and d)) or a",
  })
  void precedenceIsNotThenAndThenXorThenOr(String expression, String parenthesised) throws ExpressionException {
    assertSameOnEveryAssignment(expression, parenthesised);
  }

  @ParameterizedTest(name = "{0}  equals  {1}")
  @CsvSource(delimiterString = "=>", value = {
      "a and b => a && b",
      "a or b => a || b",
      "a xor b => a ^^ b",
      "not a => ! a",
      "not a => !a",
      "a and (b or c) => a&&(b||c)",
  })
  void bothSpellingsOfEachLogicalOperatorMeanTheSame(String english, String symbols) throws ExpressionException {
    assertSameOnEveryAssignment(english, symbols);
  }

  @Test
  void notAppliesToTheWholeComparisonThatFollowsIt() throws ExpressionException {
    Expression e = Expression.compile("not http.host eq \"a\" and http.request.method eq \"GET\"", Expression.Lists.NONE);
    assertThat(e.matches(TestRequest.of().set("host", "b"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("host", "a"))).isFalse();
  }

  @Test
  void keywordsNeedNoSpaceBeforeAParenthesis() throws ExpressionException {
    Expression e = Expression.compile("not(cf.client.bot)and(cf.threat_score eq 0)or(cf.threat_score eq 9)",
        Expression.Lists.NONE);
    assertThat(e.matches(TestRequest.of())).isTrue();
    assertThat(e.matches(TestRequest.of().set("bot", "true"))).isFalse();
    assertThat(e.matches(TestRequest.of().set("bot", "true").set("score", "9"))).isTrue();
  }

  @Test
  void longChainsAreFlatAndDoNotCountAsNesting() throws ExpressionException {
    String chain = String.join(" or ", java.util.Collections.nCopies(150, "cf.threat_score eq 7"));
    Expression e = Expression.compile(chain, Expression.Lists.NONE);
    assertThat(e.matches(TestRequest.of().set("score", "7"))).isTrue();
    assertThat(e.matches(TestRequest.of())).isFalse();
  }
}
