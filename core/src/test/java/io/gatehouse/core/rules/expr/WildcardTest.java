package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WildcardTest {

  @ParameterizedTest(name = "{0} ~ {1} is {2} (strict: {3})")
  @CsvSource(delimiter = '|', emptyValue = "", value = {
      "'' | '' | true | true",
      "'' | a | false | false",
      "* | '' | true | true",
      "* | anything | true | true",
      "a* | a | true | true",
      "a* | ba | false | false",
      "*a | ba | true | true",
      "*a | ab | false | false",
      "*.example.com | www.EXAMPLE.com | true | false",
      "*.example.com | example.com | false | false",
      "a*b*c | abc | true | true",
      "a*b*c | aXbXc | true | true",
      "a*b*c | acb | false | false",
      "a*a | a | false | false",
      "a*a | aa | true | true",
      "*ab*ab* | xabyab | true | true",
      "*ab*ab* | xaby | false | false",
      "\\* | * | true | true",
      "\\* | x | false | false",
      "a\\\\b | a\\b | true | true",
      "\\** | *tail | true | true",
      "\\** | tail | false | false",
      "ABC | abc | true | false",
      "Straße | STRAßE | true | false",
      "É | é | false | false",
  })
  void wildcardsMatchTheWholeValue(String pattern, String value, boolean folded, boolean strict) {
    assertThat(Wildcard.compile(pattern, false).matches(value)).as("wildcard").isEqualTo(folded);
    assertThat(Wildcard.compile(pattern, true).matches(value)).as("strict wildcard").isEqualTo(strict);
  }

  @Test
  void doubleStarsAndUnknownEscapesAreRejectedAsWirefilterDoes() {
    assertThatThrownBy(() -> Wildcard.compile("a**b", false)).hasMessageContaining("'**' is not allowed");
    assertThatThrownBy(() -> Wildcard.compile("a\\b", false)).hasMessage(
        "unknown escape '\\b' in a wildcard pattern; only \\* and \\\\ are allowed");
    assertThatThrownBy(() -> Wildcard.compile("a\\", true)).hasMessageContaining("lone '\\'");
    // An escaped star next to a star is not a double star.
    assertThat(Wildcard.compile("\\**", true).matches("*x")).isTrue();
  }

  /** How long this takes is measured by {@code RulesBenchmark.wildcardAgainstTenKilobytes}. */
  @Test
  void manyStarsAgainstATenKilobyteValueMatchOnlyWhenEveryPieceIsThere() {
    String value = "a".repeat(10_000);
    assertThat(Wildcard.compile("*a*a*a*a*a*a*a*a*b", false).matches(value)).isFalse();
    Wildcard missingMiddle = Wildcard.compile("*a*a*a*a*a*a*a*a*c*b", false);
    assertThat(missingMiddle.matches(value + "b")).isFalse();
    assertThat(missingMiddle.matches(value + "cb")).isTrue();
  }

  @Property(tries = 2000)
  void agreesWithTheEquivalentAnchoredRegex(@ForAll("patterns") String pattern, @ForAll("values") String value,
      @ForAll boolean strict) {
    StringBuilder regex = new StringBuilder(strict ? "(?s)^" : "(?is)^");
    String[] pieces = pattern.split("\\*", -1);
    for (int i = 0; i < pieces.length; i++) {
      regex.append(i > 0 ? ".*" : "").append(Pattern.quote(pieces[i]));
    }
    regex.append('$');
    boolean expected = Pattern.compile(regex.toString()).matcher(value).find();
    assertThat(Wildcard.compile(pattern, strict).matches(value)).as("%s on %s", pattern, value).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> patterns() {
    // No "**" (rejected) and no backslash (escapes are covered above).
    return Arbitraries.strings().withChars("abA*").ofMaxLength(8).filter(p -> !p.contains("**"));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().withChars("abAB").ofMaxLength(10);
  }
}
