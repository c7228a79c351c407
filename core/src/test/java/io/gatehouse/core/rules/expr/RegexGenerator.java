package io.gatehouse.core.rules.expr;

import java.util.List;
import java.util.Random;

/**
 * Random RE2 patterns from a grammar that leans on what is easy to misread: classes whose first
 * character is {@code ]}, ranges ending in {@code -}, POSIX and Unicode classes, escapes of every form,
 * {@code \Q...\E}, braces that are and are not repetitions, scoped and unscoped flags, named groups, empty
 * branches, and letters that fold with non-ASCII characters. Not every pattern it writes compiles;
 * callers skip those RE2/J rejects. Subjects are drawn from the characters of the pattern and their case
 * variants, so that matches are common.
 */
final class RegexGenerator {

  /** Characters that stand for themselves, including the ones that fold with more than their ASCII case. */
  static final String LETTERS = "aAbBkKsSxX\u212a\u017f019 -_/<>=;'\"é\u00c9\u03a3\u03c3\u03c2日\ud83d\ude00]}";

  private static final List<String> CLASSES = List.of("[ab]", "[^a]", "[]a]", "[^]a]", "[a-]", "[-a]", "[\\]]",
      "[[:alpha:]]", "[[:^digit:]x]", "[\\d]", "[\\pL]", "[\\p{Greek}]", "[a-c\\-]", "[\\x41-\\x{5A}]", "[k]",
      "[\\Q]", "[^\\n]", "[[]", "[a-\\]]", "[\\\\]", "[\\[a]", "[.*+?]", "[{}]", "[(|)]", "[\\x{212A}s]", "[^]]",
      "[]]", "[:alpha:]", "[[:word:]-]");
  private static final List<String> ESCAPES = List.of("\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\pL", "\\PL",
      "\\p{Greek}", "\\p{^Greek}", "\\PN", "\\b", "\\B", "\\A", "\\z", "\\.", "\\*", "\\[", "\\]", "\\\\", "\\-",
      "\\{", "\\}", "\\(", "\\)", "\\|", "\\?", "\\+", "\\^", "\\$", "\\/", "\\_", "\\ ", "\\x41", "\\x6b",
      "\\x{212A}", "\\x{1F600}", "\\x{17f}", "\\101", "\\153", "\\0", "\\07", "\\n", "\\t", "\\r", "\\f", "\\v",
      "\\a", "\\Qa.b*\\E", "\\Q\\E", "\\Q(?i)\\E", "\\QkS", "\\1", "\\e", "\\C", "\\Z");
  private static final List<String> REPEATS = List.of("*", "+", "?", "{2}", "{1,}", "{0,2}", "{1,3}?", "*?", "+?",
      "??", "{0}", "{0,}", "{3,3}", "{,2}", "{01}", "{1", "{1,2", "{x}", "{1001}", "**", "{2}{3}");
  private static final List<String> FLAGS = List.of("(?i)", "(?-i)", "(?is)", "(?U)", "(?m)", "(?i-s)", "(?s-i)",
      "(?-)", "(?i-i)", "(?x)");
  private static final List<String> OPENERS = List.of("(", "(?:", "(?i:", "(?-i:", "(?P<n%d>", "(?<n%d>", "(?s:",
      "(?i-m:", "(?P=n)", "(?=");

  private final Random random;
  private int names;

  RegexGenerator(Random random) {
    this.random = random;
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** A pattern of alternatives nested at most {@code depth} more levels. */
  String alternation(int depth) {
    StringBuilder b = new StringBuilder(concatenation(depth));
    while (random.nextInt(3) == 0) {
      b.append('|').append(concatenation(depth));
    }
    return b.toString();
  }

  /**
   * Alternatives that begin with the same letter in either case, some under {@code (?i)} and some not:
   * the shape in which RE2/J factors the letter out of the alternatives.
   */
  String sharedLeadingLetter() {
    char letter = "abks".charAt(random.nextInt(4));
    StringBuilder b = new StringBuilder();
    int n = 2 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append('|');
      }
      String lead = String.valueOf(random.nextBoolean() ? letter : Character.toUpperCase(letter));
      if (random.nextInt(3) == 0) {
        lead += pick(REPEATS.subList(0, 4));
      }
      String rest = concatenation(1);
      b.append(switch (random.nextInt(4)) {
        case 0 -> "(?i:" + lead + rest + ")";
        case 1 -> "(?i)" + lead + rest;
        case 2 -> "(?-i:" + lead + rest + ")";
        default -> lead + rest;
      });
    }
    return b.toString();
  }

  private String concatenation(int depth) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      b.append(atom(depth));
      if (random.nextInt(4) == 0) {
        b.append(pick(REPEATS));
      }
    }
    return b.toString();
  }

  private String atom(int depth) {
    int choice = random.nextInt(depth <= 0 ? 8 : 10);
    return switch (choice) {
      case 0, 1, 2 -> {
        int at = random.nextInt(LETTERS.length());
        if (Character.isLowSurrogate(LETTERS.charAt(at))) {
          at--;
        }
        yield LETTERS.substring(at, at + Character.charCount(LETTERS.codePointAt(at)));
      }
      case 3 -> pick(CLASSES);
      case 4 -> pick(ESCAPES);
      case 5 -> pick(List.of(".", "^", "$", "{", "}", "]"));
      case 6 -> pick(FLAGS);
      case 7 -> "lit" + "eral".substring(0, random.nextInt(5));
      default -> String.format(pick(OPENERS), names++) + alternation(depth - 1) + (random.nextInt(30) == 0 ? "" : ")");
    };
  }

  /** A subject of up to {@code maxLength} characters, drawn from {@code pattern}'s characters and case variants. */
  String subject(String pattern, int maxLength) {
    String pool = pattern + LETTERS + "\n";
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(maxLength + 1);
    while (b.length() < n) {
      if (random.nextInt(5) == 0 && pattern.length() > 1) {
        // A run of the pattern itself, so literal stretches of it turn up whole.
        int from = random.nextInt(pattern.length());
        int to = Math.min(pattern.length(), from + 1 + random.nextInt(8));
        b.append(pattern, from, to);
        continue;
      }
      char c = pool.charAt(random.nextInt(pool.length()));
      switch (random.nextInt(4)) {
        case 0 -> b.append(Character.toUpperCase(c));
        case 1 -> b.append(Character.toLowerCase(c));
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
