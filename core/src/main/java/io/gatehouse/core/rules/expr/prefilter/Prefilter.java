package io.gatehouse.core.rules.expr.prefilter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.gatehouse.core.rules.expr.prefilter.Info.Lit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A prefilter for a regular expression: literal strings one of which occurs in every text the expression
 * matches, so a value that contains none of them cannot match and RE2/J need not run. Most values a
 * request carries match none of a site's patterns, and searching them for a few literals costs a small
 * fraction of running the automaton.
 *
 * <p>The literals are derived from the pattern text by a parser that follows RE2/J's syntax and gives
 * up, returning no prefilter, wherever it is not certain. Each construct is summarised as either the
 * exact set of strings it matches (for literals, short alternations of them and zero-width assertions)
 * or a set of strings one of which occurs in whatever it matches:
 * <ul>
 *   <li>a concatenation keeps the best of the requirements of its runs of exact parts and of its other
 *       parts (any one of them is necessary on its own);
 *   <li>an alternation needs one literal from every branch, so it unions them; a branch that requires
 *       nothing makes the whole require nothing;
 *   <li>{@code x+}, {@code x{n,m}} with {@code n >= 1} require what {@code x} requires; {@code x*},
 *       {@code x?}, {@code x{0,m}} require nothing;
 *   <li>{@code .}, classes, {@code \d}, {@code \pL} and so on match one character that is not known, and
 *       require nothing of it.
 * </ul>
 *
 * <p>Under {@code (?i)} RE2 folds case by Unicode simple case folding, in which the ASCII letters fold
 * with each other and with two characters more: K with U+212A KELVIN SIGN and S with U+017F LATIN SMALL
 * LETTER LONG S. Literals read under {@code (?i)} are kept in {@linkplain FoldedLiteral#fold folded form}
 * and searched for without case on that basis; a non-ASCII character under {@code (?i)} is treated as
 * unknown rather than folded. Searching without case where the pattern had case is only ever more
 * permissive, so mixed literals are searched without case; and once {@code (?i)} appears anywhere in a
 * pattern, every literal is, since RE2/J may extend one alternative's folding to a leading character of
 * another when it factors them.
 *
 * <p>The regular expressions themselves are compiled here too ({@link #compileRegex}), with a guard on
 * their size, since both read the same RE2/J syntax; and {@link FoldedLiteral}, the caseless search the
 * prefilter uses, also serves the language's caseless comparisons.
 *
 * <p>Instances are immutable and thread-safe. A search costs at most the value's length times the total
 * length of the literals, and the literals are bounded: at most {@value #MAX_LITERALS} of at most
 * {@value #MAX_LENGTH} characters each.
 */
public final class Prefilter {

  static final int MAX_LITERALS = 16;
  static final int MAX_LENGTH = 64;

  /** Up to this length, a value is first summarised by the characters it has; see {@link #foundIn}. */
  private static final int SUMMARY_LENGTH = 64;

  private final String[] exact; // searched as they are
  private final FoldedLiteral[] folded; // in folded form, searched by it
  private final long[] needs; // per literal, the characters it needs; see foundIn

  private Prefilter(String[] exact, FoldedLiteral[] folded) {
    this.exact = exact;
    this.folded = folded;
    this.needs = new long[exact.length + folded.length];
    for (int i = 0; i < needs.length; i++) {
      needs[i] = summary(i < exact.length ? exact[i] : folded[i - exact.length].text());
    }
  }

  /**
   * {@code regex} without the flag {@code u} in its flag groups ({@code (?u)}, {@code (?iu:...)}):
   * Cloudflare's regular expressions (Rust's) take it to mean Unicode mode, which RE2/J is in always and
   * whose flag it refuses. A group left with no flags goes; everything else is unchanged.
   */
  public static String withoutUnicodeFlag(String regex) {
    if (regex.indexOf("(?") < 0) {
      return regex;
    }
    StringBuilder out = new StringBuilder(regex.length());
    boolean inClass = false;
    int i = 0;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        out.append(c).append(regex.charAt(i + 1));
        i += 2;
        continue;
      }
      if (inClass) {
        inClass = c != ']';
        out.append(c);
        i++;
        continue;
      }
      if (c == '[') {
        inClass = true;
        out.append(c);
        // A ']' right after '[' or '[^' is a member, not the end.
        if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
          out.append('^');
          i++;
        }
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          out.append(']');
          i++;
        }
        i++;
        continue;
      }
      if (c == '(' && i + 1 < regex.length() && regex.charAt(i + 1) == '?') {
        int j = i + 2;
        while (j < regex.length() && "imsuxU-".indexOf(regex.charAt(j)) >= 0) {
          j++;
        }
        if (j > i + 2 && j < regex.length() && (regex.charAt(j) == ')' || regex.charAt(j) == ':')
            && regex.substring(i + 2, j).indexOf('u') >= 0) {
          String flags = regex.substring(i + 2, j).replace("u", "");
          if (flags.endsWith("-")) {
            flags = flags.substring(0, flags.length() - 1);
          }
          if (!flags.isEmpty() || regex.charAt(j) == ':') {
            out.append("(?").append(flags).append(regex.charAt(j));
          }
          i = j + 1;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /**
   * Compiles {@code regex} with RE2/J, whose matching time is linear in the input: user patterns run on
   * attacker-controlled values, so a backtracking engine is never used. The program size is first
   * estimated from the text ({@code ProgramSize}), so that a pattern far too large is refused before
   * it is built, and measured again once compiled.
   *
   * @param maxLength characters the pattern may have
   * @param maxProgramSize instructions the compiled program may have: RE2/J simulates the program over
   *     the input, so its size bounds the cost per input character
   * @throws IllegalArgumentException saying what is wrong, echoing the offending part
   */
  public static Pattern compileRegex(String regex, int maxLength, int maxProgramSize) {
    if (regex.length() > maxLength) {
      throw new IllegalArgumentException("a regular expression may have at most " + maxLength
          + " characters; this one has " + regex.length());
    }
    if (ProgramSize.estimate(regex) > 20L * maxProgramSize) {
      throw tooLarge(maxProgramSize);
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression: " + e.getDescription() + ": `"
          + e.getPattern() + "`");
    }
    if (pattern.programSize() > maxProgramSize) {
      throw tooLarge(maxProgramSize);
    }
    return pattern;
  }

  private static IllegalArgumentException tooLarge(int maxProgramSize) {
    return new IllegalArgumentException("the regular expression is too large: it compiles to more than "
        + maxProgramSize + " instructions; use smaller repetition counts");
  }

  /**
   * The prefilter of {@code regex}, or {@code null} when no literal can be derived with certainty.
   * {@code regex} must be a pattern RE2/J compiles.
   */
  public static Prefilter of(String regex) {
    Set<Lit> required = Analyser.required(regex);
    if (required == null) {
      return null;
    }
    List<String> exact = new ArrayList<>();
    List<FoldedLiteral> folded = new ArrayList<>();
    for (Lit lit : required) {
      if (lit.fold()) {
        folded.add(FoldedLiteral.re2(lit.text()));
      } else {
        exact.add(lit.text());
      }
    }
    return new Prefilter(exact.toArray(new String[0]), folded.toArray(new FoldedLiteral[0]));
  }

  /**
   * The characters of {@code s} as a set of 64 bits: bit {@code c % 64} of each character, folded as
   * RE2 folds (so that the summary of a value covers every case of a literal's letters). A value can
   * contain a literal only if its summary has every bit of the literal's.
   */
  private static long summary(String s) {
    long bits = 0;
    for (int i = 0; i < s.length(); i++) {
      bits |= 1L << FoldedLiteral.fold(s.charAt(i), true);
    }
    return bits;
  }

  /**
   * Whether {@code value} contains one of the literals; when it does not, the regex cannot match it.
   *
   * <p>A short value, such as a query string, is first summarised in one pass by the characters it has:
   * if it lacks a character of every literal, no literal is searched for at all.
   */
  public boolean foundIn(String value) {
    if (value.length() <= SUMMARY_LENGTH) {
      long has = summary(value);
      boolean possible = false;
      for (long need : needs) {
        possible |= (need & ~has) == 0;
      }
      if (!possible) {
        return false;
      }
    }
    for (String s : exact) {
      if (value.contains(s)) {
        return true;
      }
    }
    for (FoldedLiteral f : folded) {
      if (f.foundIn(value)) {
        return true;
      }
    }
    return false;
  }

  /** The literals searched as written. */
  List<String> exact() {
    return List.of(exact);
  }

  /**
   * Every literal, one of which occurs in every text the pattern matches: those searched as they are,
   * then those searched by {@linkplain FoldedLiteral#fold folded form}, in that form. A text whose folded
   * form holds none of them, each folded, cannot match.
   */
  public List<String> literals() {
    List<String> all = new ArrayList<>(exact());
    all.addAll(folded());
    return all;
  }

  /** The literals searched by folded form. */
  List<String> folded() {
    return Arrays.stream(folded).map(FoldedLiteral::text).toList();
  }

  /** The literals, those searched by folded form marked {@code i:}, for messages. */
  @Override
  public String toString() {
    List<String> all = new ArrayList<>(exact());
    folded().forEach(f -> all.add("i:" + f));
    return String.join(" ", all);
  }

  /**
   * A literal compared without regard to case, prepared once for searching many values.
   *
   * <p>Two foldings exist. {@link #ascii} is the language's: {@code lower()}, {@code upper()} and
   * {@code wildcard} change ASCII letters only, so {@code K} and {@code k} are equal and nothing else is.
   * {@code re2} is RE2's under {@code (?i)} as far as ASCII letters go: besides the ASCII case pairs,
   * U+212A KELVIN SIGN equals {@code k} and U+017F LATIN SMALL LETTER LONG S equals {@code s} (other
   * characters are compared as they are, so a literal may hold them only where the pattern did not fold
   * them). Either way the literal is kept with its letters in lower case, and a character of the value
   * is compared by its {@linkplain #fold folded} form.
   *
   * <p>A literal without letters is searched for as it is. Otherwise, searching a long value compares
   * character by character only where the literal may start: the candidates come from
   * {@link String#indexOf(int, int)}, which the JVM vectorises, for each character that folds to the
   * literal's anchor (a character that is not a letter if it has one, since those have a single form). A
   * short value is compared directly, which is cheaper than setting up those scans.
   *
   * <p>Instances are immutable and thread-safe.
   */
  public static final class FoldedLiteral {

    private static final char KELVIN = '\u212a';
    private static final char LONG_S = '\u017f';
    private static final int DIRECT_SEARCH = 24;

    private final String text;
    private final boolean re2;
    private final int anchor;
    private final char[] forms; // the characters that fold to text.charAt(anchor)
    private final boolean exact; // no character of the literal has another form: a plain search will do

    private FoldedLiteral(String text, boolean re2) {
      for (int i = 0; i < text.length(); i++) {
        if (fold(text.charAt(i), re2) != text.charAt(i)) {
          throw new IllegalArgumentException("'" + text + "' is not in folded form: it has '" + text.charAt(i) + "'");
        }
      }
      this.text = text;
      this.re2 = re2;
      int a = 0;
      int best = Integer.MAX_VALUE;
      for (int i = 0; i < text.length(); i++) {
        int count = forms(text.charAt(i), re2).length;
        if (count < best) {
          best = count;
          a = i;
        }
      }
      this.anchor = a;
      this.forms = text.isEmpty() ? new char[0] : forms(text.charAt(a), re2);
      boolean letters = false;
      for (int i = 0; i < text.length(); i++) {
        letters |= forms(text.charAt(i), re2).length > 1;
      }
      this.exact = !letters;
    }

    /** {@code literal} as {@code lower()} would see it; it must hold no ASCII upper-case letter. */
    public static FoldedLiteral ascii(String lowerCaseLiteral) {
      return new FoldedLiteral(lowerCaseLiteral, false);
    }

    /** {@code literal} as RE2 sees it under {@code (?i)}; it must be in folded form already. */
    static FoldedLiteral re2(String foldedLiteral) {
      return new FoldedLiteral(foldedLiteral, true);
    }

    /** The folded form of {@code c}: ASCII upper case to lower case and, under RE2's folding, K and ſ to k and s. */
    public static char fold(char c, boolean re2) {
      if (c >= 'A' && c <= 'Z') {
        return (char) (c + 32);
      }
      if (re2 && c == KELVIN) {
        return 'k';
      }
      if (re2 && c == LONG_S) {
        return 's';
      }
      return c;
    }

    private static char[] forms(char c, boolean re2) {
      if (c < 'a' || c > 'z') {
        return new char[] {c};
      }
      char upper = (char) (c - 32);
      if (re2 && c == 'k') {
        return new char[] {c, upper, KELVIN};
      }
      if (re2 && c == 's') {
        return new char[] {c, upper, LONG_S};
      }
      return new char[] {c, upper};
    }

    /** The literal, its letters in lower case. */
    String text() {
      return text;
    }

    /** Whether {@code value} holds the literal at {@code at}. */
    public boolean regionMatches(String value, int at) {
      if (exact) {
        return value.startsWith(text, at);
      }
      int n = text.length();
      if (at < 0 || at > value.length() - n) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (fold(value.charAt(at + i), re2) != text.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private boolean matchesAfterFirst(String value, int at) {
      for (int i = 1; i < text.length(); i++) {
        if (fold(value.charAt(at + i), re2) != text.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** Whether {@code value} holds the literal anywhere. */
    public boolean foundIn(String value) {
      return indexIn(value, 0, value.length()) >= 0;
    }

    /** The first index at or after {@code from} where the literal starts and ends by {@code limit}, or -1. */
    public int indexIn(String value, int from, int limit) {
      int last = limit - text.length();
      if (from > last) {
        return -1;
      }
      if (exact) {
        int i = value.indexOf(text, from);
        return i <= last ? i : -1;
      }
      if (last - from >= DIRECT_SEARCH && forms.length <= 2) {
        return anchoredIndexIn(value, from, last);
      }
      char first = text.charAt(0);
      for (int i = from; i <= last; i++) {
        if (fold(value.charAt(i), re2) == first && matchesAfterFirst(value, i)) {
          return i;
        }
      }
      return -1;
    }

    /** {@link #indexIn} where candidates are where the anchor character occurs in one of its forms. */
    private int anchoredIndexIn(String value, int from, int last) {
      char f0 = forms[0];
      char f1 = forms.length > 1 ? forms[1] : f0;
      int next0 = value.indexOf(f0, from + anchor);
      int next1 = f1 == f0 ? -1 : value.indexOf(f1, from + anchor);
      while (next0 >= 0 || next1 >= 0) {
        int at = next1 < 0 || next0 >= 0 && next0 < next1 ? next0 : next1;
        int start = at - anchor;
        if (start > last) {
          return -1;
        }
        if (regionMatches(value, start)) {
          return start;
        }
        if (at == next0) {
          next0 = value.indexOf(f0, at + 1);
        } else {
          next1 = value.indexOf(f1, at + 1);
        }
      }
      return -1;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
