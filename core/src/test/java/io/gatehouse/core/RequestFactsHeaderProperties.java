package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Header lookups against a naive reference: every line, compared ignoring ASCII case. */
class RequestFactsHeaderProperties {

  record Line(String name, String value) {}

  private static boolean sameName(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && !(Character.isLetter(x) && x < 128 && y < 128 && (x ^ 0x20) == y)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> naive(List<Line> lines, String name) {
    List<String> out = new ArrayList<>();
    for (Line l : lines) {
      if (sameName(l.name(), name)) {
        out.add(l.value());
      }
    }
    return out;
  }

  @Provide
  Arbitrary<String> names() {
    // Common names in the spellings clients use, and odd ones: mixed case, non-ASCII, empty.
    return Arbitraries.oneOf(
        Arbitraries.of("User-Agent", "user-agent", "USER-AGENT", "Cookie", "cookie", "X-Forwarded-For",
            "x-forwarded-for", "Sec-Fetch-Site", "sec-ch-ua", "DNT", "dnt", "X-Real-IP", "x-debug-1", "X-Debug-1",
            "\u212Aeep", "keep", "Keep", ""),
        Arbitraries.strings().withChars("aAbBkK-\u212A\u00e9\u00c9").ofMaxLength(4));
  }

  @Provide
  Arbitrary<Line> lines() {
    return Combinators.combine(names(), Arbitraries.strings().alpha().ofMaxLength(3)).as(Line::new);
  }

  @Property(tries = 3000)
  void everyLookupFindsWhatTheReferenceFinds(@ForAll @Size(max = 12) List<@From("lines") Line> lines,
      @ForAll("names") String asked) {
    RequestFacts.Builder b = RequestFacts.builder();
    lines.forEach(l -> b.header(l.name(), l.value()));
    RequestFacts f = b.build();
    List<String> expected = naive(lines, asked);
    assertThat(f.headers(asked)).containsExactlyElementsOf(expected);
    assertThat(f.header(asked)).isEqualTo(expected.isEmpty() ? null : expected.get(0));
    assertThat(f.hasHeader(asked)).isEqualTo(!expected.isEmpty());
    String lower = RequestFacts.lowerName(asked);
    assertThat(f.headersLowerCase(lower)).containsExactlyElementsOf(expected);
    List<String> ua = naive(lines, "user-agent");
    assertThat(f.userAgent()).isEqualTo(ua.isEmpty() ? "" : ua.get(0));
  }

  @Test
  void aBuilderUsedAgainLeavesWhatItBuiltAlone() {
    RequestFacts.Builder b = RequestFacts.builder().expectHeaders(2).header("A", "1").header("B", "2");
    RequestFacts first = b.build();
    RequestFacts second = b.header("A", "3").build();
    RequestFacts third = b.expectHeaders(40).header("C", "4").build();
    assertThat(first.headerCount()).isEqualTo(2);
    assertThat(first.headers("a")).containsExactly("1");
    assertThat(second.headers("a")).containsExactly("1", "3");
    assertThat(third.headers("a")).containsExactly("1", "3");
    assertThat(third.header("c")).isEqualTo("4");
    assertThat(second.hasHeader("c")).isFalse();
    // Exactly full, then changed in place: the built instance keeps its lines.
    RequestFacts.Builder full = RequestFacts.builder();
    for (int i = 0; i < 8; i++) {
      full.header("H" + i, "v" + i);
    }
    RequestFacts before = full.build();
    full.header("H0", "later");
    assertThat(before.headers("h0")).containsExactly("v0");
    assertThat(before.headerCount()).isEqualTo(8);
    assertThat(RequestFacts.builder().expectHeaders(-1).expectHeaders(Integer.MAX_VALUE).build().headerCount())
        .isZero();
  }

  @Test
  void lowerCaseNamesAreAsciiLowerCase() {
    assertThat(RequestFacts.lowerName("User-Agent")).isEqualTo("user-agent");
    assertThat(RequestFacts.lowerName("X-Custom-HEADER")).isEqualTo("x-custom-header");
    assertThat(RequestFacts.lowerName("already-lower")).isSameAs(RequestFacts.lowerName("already-lower"));
    assertThat(RequestFacts.lowerName("\u212A-\u00c9")).isEqualTo("\u212A-\u00c9");
  }
}
