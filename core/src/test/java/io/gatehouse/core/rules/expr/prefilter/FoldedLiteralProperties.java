package io.gatehouse.core.rules.expr.prefilter;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link FoldedLiteral}'s search, direct or anchored, finds what comparing every position finds, in both
 * foldings, on values that mix ASCII letters with the characters Unicode would confuse with them.
 */
class FoldedLiteralProperties {

  private static String fold(String s, boolean re2) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(c -> b.append(FoldedLiteral.fold((char) c, re2)));
    return b.toString();
  }

  /** The reference: compare at every position from {@code start} where the literal ends by {@code limit}. */
  private static int naiveIndexOf(String value, String literal, int start, int limit, boolean re2) {
    for (int i = start; i + literal.length() <= limit; i++) {
      boolean all = true;
      for (int j = 0; j < literal.length() && all; j++) {
        all = FoldedLiteral.fold(value.charAt(i + j), re2) == literal.charAt(j);
      }
      if (all) {
        return i;
      }
    }
    return -1;
  }

  private static void check(String value, String literal, int start, int limit, boolean re2) {
    FoldedLiteral folded = re2 ? FoldedLiteral.re2(literal) : FoldedLiteral.ascii(literal);
    assertThat(folded.indexIn(value, start, limit)).as("'%s' in '%s' from %d to %d", literal, value, start, limit)
        .isEqualTo(naiveIndexOf(value, literal, start, limit, re2));
  }

  @Property(tries = 2000)
  void searchFindsWhatComparingEveryPositionFinds(@ForAll("values") String value, @ForAll("literals") String raw,
      @ForAll boolean re2, @ForAll int from, @ForAll int to) {
    int start = Math.floorMod(from, value.length() + 1);
    int limit = start + Math.floorMod(to, value.length() - start + 1);
    check(value, fold(raw, re2), start, limit, re2);
  }

  @Property(tries = 2000)
  void searchFindsALiteralTakenFromTheValue(@ForAll("values") String value, @ForAll int at, @ForAll int length,
      @ForAll boolean re2) {
    int start = value.isEmpty() ? 0 : Math.floorMod(at, value.length());
    int end = start + Math.floorMod(length, Math.min(8, value.length() - start) + 1);
    check(value, fold(value.substring(start, end), re2), 0, value.length(), re2);
    check(value, fold(value.substring(start, end), re2), 0, end, re2);
    check(value, fold(value.substring(start, end), re2), 0, Math.max(0, end - 1), re2);
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> mixed = Arbitraries.strings().withChars("aAbBkKsSxX\u212a\u017f\u0130\u0131éÉ/-. ")
        .ofMaxLength(80);
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(30);
    return Arbitraries.frequencyOf(Tuple.of(5, mixed), Tuple.of(1, anything));
  }

  @Provide
  Arbitrary<String> literals() {
    return Arbitraries.strings().withChars("aAbBkKsS/-.é\u212a\u017f").ofMaxLength(5);
  }
}
