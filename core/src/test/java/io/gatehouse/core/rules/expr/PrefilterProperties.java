package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral;
import io.gatehouse.core.rules.expr.prefilter.Prefilter;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The prefilter never changes an answer: whenever RE2/J finds a match, the value contains one of the
 * required literals. Patterns come from {@link RegexGenerator} and from a soup of metacharacters (both
 * kept only when RE2/J compiles them); values from the patterns' own characters, their case variants and
 * the characters that fold with ASCII letters, and from arbitrary Unicode. Statistics check that the
 * properties see many patterns with a prefilter, many matches and many values the prefilter rejects.
 */
class PrefilterProperties {

  private static final String SOUP = "aAkKsS\u212a\u017f()[]{}|*+?.^$\\-:,=<>!#iPQExpLd0129_ ";

  private static Pattern compileOrSkip(String regex) {
    Pattern pattern = null;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      // not a pattern RE2 accepts: nothing to compare
    }
    Assume.that(pattern != null);
    return pattern;
  }

  /** The answers are worth something only if many patterns have a prefilter, and many values match. */
  private static void requireCoverage() {
    Statistics.label("prefilter").coverage(c -> c.check(true).percentage(p -> p > 40));
    Statistics.label("outcome").coverage(c -> {
      c.check("match").percentage(p -> p > 5);
      c.check("no match, skipped").percentage(p -> p > 30);
    });
  }

  /** Checks 40 values against {@code regex}: each RE2/J matches must contain a required literal. */
  private static void check(String regex, Pattern pattern, Random random, RegexGenerator generator) {
    Prefilter required = Prefilter.of(regex);
    Statistics.label("prefilter").collect(required != null);
    if (required == null) {
      return;
    }
    for (int i = 0; i < 40; i++) {
      String subject = switch (i % 10) {
        case 9 -> randomUnicode(random);
        case 8 -> generator.subject(regex, 70) + generator.subject(regex, 70); // past the one-pass summary
        default -> generator.subject(regex, 6 + i);
      };
      boolean matches = pattern.matcher(subject).find();
      boolean found = required.foundIn(subject);
      Statistics.label("outcome").collect(matches ? "match" : found ? "no match, searched" : "no match, skipped");
      if (matches) {
        assertThat(found).as("/%s/ matches \"%s\" but the prefilter %s rejects it", regex, subject,
            required).isTrue();
      }
    }
  }

  private static String randomUnicode(Random random) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(Character.MAX_CODE_POINT + 1) : random.nextInt(0x300));
    }
    return b.toString();
  }

  @Property(tries = 8000)
  void aGeneratedPatternMatchesNothingThePrefilterRejects(@ForAll long seed) {
    Random random = new Random(seed);
    RegexGenerator generator = new RegexGenerator(random);
    String regex = generator.alternation(3);
    check(regex, compileOrSkip(regex), random, generator);
    requireCoverage();
  }

  @Property(tries = 3000)
  void alternativesSharingALeadingLetterMatchNothingThePrefilterRejects(@ForAll long seed) {
    Random random = new Random(seed);
    RegexGenerator generator = new RegexGenerator(random);
    String regex = generator.sharedLeadingLetter();
    check(regex, compileOrSkip(regex), random, generator);
  }

  @Property(tries = 8000)
  void aPatternFromMetacharacterSoupMatchesNothingThePrefilterRejects(@ForAll("soup") String regex,
      @ForAll long seed) {
    Random random = new Random(seed);
    check(regex, compileOrSkip(regex), random, new RegexGenerator(random));
    requireCoverage();
  }

  @Property(tries = 3000)
  void caseInsensitiveLiteralsAreFoundInEveryCaseVariant(@ForAll("words") String word, @ForAll long seed) {
    Random random = new Random(seed);
    StringBuilder variant = new StringBuilder();
    for (char c : word.toCharArray()) {
      String options = switch (FoldedLiteral.fold(c, true)) {
        case 'k' -> "kK\u212a";
        case 's' -> "sS\u017f";
        default -> "" + Character.toLowerCase(c) + Character.toUpperCase(c);
      };
      variant.append(options.charAt(random.nextInt(options.length())));
    }
    String subject = "..." + variant + "...";
    String regex = "(?i)" + Pattern.quote(word);
    assertThat(compileOrSkip(regex).matcher(subject).find()).isTrue();
    Prefilter required = Prefilter.of(regex);
    if (required != null) {
      assertThat(required.foundIn(subject)).as("%s in %s", regex, subject).isTrue();
    }
  }

  @Property(tries = 1500)
  void aMatchesConditionAnswersAsRe2jDoes(@ForAll long seed) {
    Random random = new Random(seed);
    RegexGenerator generator = new RegexGenerator(random);
    String regex = generator.alternation(2);
    Assume.that(!regex.contains("\"###"));
    Pattern pattern = compileOrSkip(regex);
    Expression e;
    try {
      e = Expression.compile("http.user_agent matches r###\"" + regex + "\"###", Expression.Lists.NONE);
    } catch (ExpressionException ex) {
      Assume.that(false); // beyond the program size limit
      return;
    }
    for (int i = 0; i < 20; i++) {
      String ua = generator.subject(regex, 4 + i);
      assertThat(e.matches(TestRequest.of().set("ua", ua))).as("/%s/ on \"%s\"", regex, ua)
          .isEqualTo(pattern.matcher(ua).find());
    }
  }

  @Provide
  Arbitrary<String> soup() {
    return Arbitraries.strings().withChars(SOUP).ofMaxLength(14);
  }

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings().withChars("abkKsSxyz\u212a\u017f01<>-_é").ofMinLength(1).ofMaxLength(8);
  }
}
