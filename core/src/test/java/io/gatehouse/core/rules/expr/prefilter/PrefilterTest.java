package io.gatehouse.core.rules.expr.prefilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrefilterTest {

  /** The literals as one string: exact ones as written, folded ones as {@code i:text}, joined by spaces. */
  private static String literals(String regex) {
    Pattern.compile(regex); // every case here is a valid pattern
    Prefilter r = Prefilter.of(regex);
    if (r == null) {
      return "none";
    }
    List<String> all = new ArrayList<>(r.exact());
    r.folded().forEach(f -> all.add("i:" + f));
    return String.join(" ", all);
  }

  @ParameterizedTest(name = "{0} requires {1}")
  @CsvSource(delimiterString = "=>", value = {
      "\\.php$ => .php",
      "^/admin/ => /admin/",
      "sqlmap|nikto => sqlmap nikto",
      "(?i)sqlmap|nikto => i:sqlmap i:nikto",
      "(?i)(union.+select|<script)3 => i:select i:<script",
      "foo[0-9]+bar => foo",
      "foo[0-9]+barbaz => barbaz",
      "(a|b)(c|d) => ac ad bc bd",
      "ab?c => a",
      "x{2,} => x",
      "(?:ab){1,3}z => ab",
      "\\Qa.b*\\E => a.b*",
      "a(?i)b => i:ab",
      "(?i:A)B => i:ab",
      "Ab|(?i)c => i:ab i:c",
      "(?i:bx+)|BB => i:b i:bb",
      "(?i)Kelvin => i:kelvin",
      "(?i)(?-i)Abc => i:abc",
      "(?i-i:Abc) => i:abc",
      "(?i)(?-i:a)B => i:ab",
      "(?-i)Abc => Abc",
      "(?i:a)B => i:ab",
      "\\x41\\101\\x{42} => AAB",
      "\\d+px => px",
      "\\bword\\b => word",
      "[]a]bc => bc",
      "[^]]x => x",
      "[a-]] => ]",
      "[[:alpha:]]z => z",
      "[\\]]q => q",
      "a{,2} => a{,2}",
      "a{01} => a{01}",
      "é => é",
      "日本 => 日本",
      "(?P<name>ab)c => abc",
      "(?<name>ab)c => abc",
      "a(?i)*b => i:b",
      "x\\Q\\E*y => y",
      "(?i)Straße => i:stra",
  })
  void derivesTheLiteralsEveryMatchContains(String regex, String expected) {
    assertThat(literals(regex)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} requires nothing")
  @ValueSource(strings = {"", "a*", "a?", "abc|", "(abc)?", "[abc]", ".", "\\w+", "\\pL", "x{0,3}", "^$", "\\b",
      "(?i)é", "a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q", "(?:a|)b?", "(ab)*"})
  void givesUpWhereNoLiteralIsCertain(String regex) {
    assertThat(literals(regex)).isEqualTo("none");
  }

  @Test
  void foldedLiteralsMatchEveryCaseRe2Folds() {
    Prefilter r = Prefilter.of("(?i)kiss");
    assertThat(r.foundIn("KISS")).isTrue();
    assertThat(r.foundIn("\u212aI\u017fs")).isTrue(); // Kelvin sign and long s fold to k and s
    assertThat(r.foundIn("kis")).isFalse();
    assertThat(Pattern.compile("(?i)kiss").matcher("\u212aI\u017fs").find()).isTrue();
  }

  @Test
  void literalsFollowRe2jWhereItExtendsCaseFoldingToAnotherAlternative() {
    // RE2/J factors the leading b out of both alternatives with the first one's folding.
    assertThat(Pattern.compile("(?i:bx+)|B").matcher("b").find()).isTrue();
    assertThat(Prefilter.of("(?i:bx+)|B").foundIn("b")).isTrue();
  }

  @Test
  void aFoldedLiteralMustBeInFoldedForm() {
    assertThatThrownBy(() -> FoldedLiteral.ascii("Curl")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'Curl' is not in folded form: it has 'C'");
    assertThatThrownBy(() -> FoldedLiteral.re2("\u212aelvin")).isInstanceOf(IllegalArgumentException.class);
    assertThat(FoldedLiteral.ascii("\u212aelvin").foundIn("x\u212aelvin")).isTrue(); // lower() leaves it
  }

  @Test
  void exactLiteralsAreSearchedAsWritten() {
    Prefilter r = Prefilter.of("Admin");
    assertThat(r.foundIn("/Admin/")).isTrue();
    assertThat(r.foundIn("/admin/")).isFalse();
  }

  @Test
  void literalsStayBounded() {
    Prefilter r = Prefilter.of("x".repeat(200));
    assertThat(r.exact()).singleElement().satisfies(s -> assertThat(s).hasSize(Prefilter.MAX_LENGTH));
    assertThat(Prefilter.of("(a|b)(c|d)(e|f)(g|h)(i|j)").exact()).hasSizeLessThanOrEqualTo(
        Prefilter.MAX_LITERALS);
  }

  @Test
  void re2FoldingIdentifiesOnlyWhatRe2FoldsWithAnAsciiCharacter() {
    // Every character that (?i) matches with an ASCII letter folds to that letter ...
    Pattern anyLetter = Pattern.compile("(?i)[a-z]");
    StringBuilder others = new StringBuilder();
    for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
      if (c < 0x10000 && Character.isSurrogate((char) c)) {
        continue;
      }
      String s = new String(Character.toChars(c));
      if (c < 0x10000 && anyLetter.matcher(s).matches()) {
        char folded = FoldedLiteral.fold((char) c, true);
        assertThat(folded).as("U+%04X", c).isBetween('a', 'z');
        assertThat(Pattern.compile("(?i)" + folded).matcher(s).matches()).as("U+%04X", c).isTrue();
      } else {
        others.append(s);
      }
    }
    // ... and no other character, in any plane, matches an ASCII letter under (?i).
    assertThat(anyLetter.matcher(others).find()).isFalse();
  }
}
