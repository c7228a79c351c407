package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BiPredicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Comparing {@code lower(x)} or {@code upper(x)} with a literal is compiled into a caseless comparison of
 * {@code x}. These properties hold it to the definition: convert the value with {@link Text#lower} or
 * {@link Text#upper}, then compare. Values mix ASCII letters with the characters that Unicode case
 * mapping would confuse with them (Kelvin sign, long s, dotted and dotless i), which the language's
 * ASCII-only functions must leave alone; some are long enough for the anchored search.
 */
class CaselessComparisonProperties {

  private static final String VALUE_CHARS = "aAbBkKsSxX\u212a\u017f\u0130\u0131éÉ/-. *";
  private static final String LITERAL_CHARS = "aAbBkKsS/-.é\u212a";

  private static boolean evaluate(String expression, String userAgent) throws ExpressionException {
    return Expression.compile(expression, Expression.Lists.NONE).matches(TestRequest.of().set("ua", userAgent));
  }

  private static void check(String function, String operator, String literal, String value,
      BiPredicate<String, String> reference) throws ExpressionException {
    Assume.that(!literal.contains("\"#"));
    String converted = function.equals("lower") ? Text.lower(value) : Text.upper(value);
    String expression = operator.endsWith("_with")
        ? operator + "(" + function + "(http.user_agent), r#\"" + literal + "\"#)"
        : function + "(http.user_agent) " + operator + " r#\"" + literal + "\"#";
    assertThat(evaluate(expression, value)).as("%s on \"%s\"", expression, value)
        .isEqualTo(reference.test(converted, literal));
  }

  @Property(tries = 3000)
  void caselessComparisonsAnswerAsConvertingFirstWould(@ForAll("functions") String function,
      @ForAll("values") String value, @ForAll("literals") String literal) throws ExpressionException {
    check(function, "eq", literal, value, String::equals);
    check(function, "ne", literal, value, (v, k) -> !v.equals(k));
    check(function, "contains", literal, value, String::contains);
    check(function, "starts_with", literal, value, String::startsWith);
    check(function, "ends_with", literal, value, String::endsWith);
  }

  @Property(tries = 2000)
  void caselessContainsFindsALiteralTakenFromTheValue(@ForAll("functions") String function,
      @ForAll("values") String value, @ForAll int from, @ForAll int length) throws ExpressionException {
    Assume.that(!value.isEmpty());
    String converted = function.equals("lower") ? Text.lower(value) : Text.upper(value);
    int start = Math.floorMod(from, converted.length());
    String literal = converted.substring(start, start + Math.floorMod(length, converted.length() - start + 1));
    check(function, "contains", literal, value, String::contains);
  }

  @Property(tries = 2000)
  void wildcardOnAConvertedValueMatchesAsOnTheValue(@ForAll("functions") String function,
      @ForAll("values") String value, @ForAll("patterns") String pattern) throws ExpressionException {
    Assume.that(!pattern.contains("**") && !pattern.contains("\"#"));
    String converted = function.equals("lower") ? Text.lower(value) : Text.upper(value);
    String expression = function + "(http.user_agent) wildcard r#\"" + pattern + "\"#";
    assertThat(evaluate(expression, value)).as("%s on \"%s\"", expression, value)
        .isEqualTo(Wildcard.compile(pattern, false).matches(converted));
  }

  @Provide
  Arbitrary<String> functions() {
    return Arbitraries.of("lower", "upper");
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> mixed = Arbitraries.strings().withChars(VALUE_CHARS).ofMaxLength(60);
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(30);
    return Arbitraries.frequencyOf(Tuple.of(5, mixed), Tuple.of(1, anything));
  }

  @Provide
  Arbitrary<String> literals() {
    return Arbitraries.strings().withChars(LITERAL_CHARS).ofMaxLength(4);
  }

  @Provide
  Arbitrary<String> patterns() {
    return Combinators.combine(literals(), literals(), Arbitraries.of("", "*"), Arbitraries.of("", "*"))
        .as((a, b, s1, s2) -> s1 + a + "*" + b + s2);
  }
}
