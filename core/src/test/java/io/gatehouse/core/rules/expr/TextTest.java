package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextTest {

  @ParameterizedTest(name = "url_decode({0}) = {1}")
  @CsvSource(delimiterString = "=>", value = {
      "John%20Doe => John Doe",
      "John+Doe => John Doe",
      "%2520 => %20",
      "% => %",
      "%4 => %4",
      "%41 => A",
      "a%41 => aA",
      "%zz => %zz",
      "%%41 => %A",
      "%4g%41 => %4gA",
      "100% => 100%",
      "%C3%A9 => é",
      "%e2%98%81 => ☁",
      "%F0%9F%98%80 => 😀",
      "%u2601 => %u2601",
      "é%20 => 'é '",
  })
  void urlDecodeDecodesOnceAndLeavesInvalidSequencesAsWritten(String in, String out) {
    assertThat(Text.urlDecode(in, false, false)).isEqualTo(out);
  }

  @Test
  void urlDecodeTurnsBytesThatAreNotUtf8IntoLatin1Characters() {
    // An overlong slash must never become '/'.
    assertThat(Text.urlDecode("%C0%AF", false, false)).isEqualTo("\u00c0\u00af");
    assertThat(Text.urlDecode("%FF", false, false)).isEqualTo("\u00ff");
    assertThat(Text.urlDecode("%E2%98", false, false)).isEqualTo("\u00e2\u0098");
    assertThat(Text.urlDecode("%ED%A0%80", false, false)).isEqualTo("\u00ed\u00a0\u0080"); // a surrogate
    assertThat(Text.urlDecode("%C3%A9%FF%41", false, false)).isEqualTo("é\u00ffA");
  }

  @Test
  void urlDecodeOptionsDecodeRepeatedlyAndPercentU() {
    assertThat(Text.urlDecode("%25252e", true, false)).isEqualTo(".");
    assertThat(Text.urlDecode("%u2601", false, true)).isEqualTo("☁");
    assertThat(Text.urlDecode("%U0041%u004", false, true)).isEqualTo("A%u004");
    assertThat(Text.urlDecode("%uD800", false, true)).isEqualTo("%uD800");
    // Recursive decoding stops after ten rounds, whatever the input.
    String deep = "%41";
    for (int i = 0; i < 20; i++) {
      deep = deep.replace("%", "%25");
    }
    String decoded = Text.urlDecode(deep, true, false);
    assertThat(decoded).startsWith("%25");
    assertThat(decoded.length()).isLessThan(deep.length());
  }

  @Test
  void lowerAndUpperChangeAsciiLettersOnly() {
    assertThat(Text.lower("HeLLo-ÀÉ")).isEqualTo("hello-ÀÉ");
    assertThat(Text.upper("hello-àé")).isEqualTo("HELLO-àé");
    String unchanged = "already lower";
    assertThat(Text.lower(unchanged)).isSameAs(unchanged);
    assertThat(Text.lower("\u212a")).isEqualTo("\u212a"); // the Kelvin sign is not 'k'
  }

  @Test
  void lengthCountsUtf8Bytes() {
    assertThat(Text.utf8Length("")).isZero();
    assertThat(Text.utf8Length("abc")).isEqualTo(3);
    assertThat(Text.utf8Length("é")).isEqualTo(2);
    assertThat(Text.utf8Length("☁")).isEqualTo(3);
    assertThat(Text.utf8Length("😀")).isEqualTo(4);
    assertThat(Text.utf8Length("\ud800")).isEqualTo(3);
  }

  @Test
  void ordersByCodePointAsUtf8BytesDo() {
    assertThat(Text.compare("a", "b")).isNegative();
    assertThat(Text.compare("ab", "a")).isPositive();
    assertThat(Text.compare("a", "a")).isZero();
    assertThat(Text.compare("\uffff", "😀")).isNegative(); // U+FFFF < U+1F600, unlike UTF-16 order
  }
}
