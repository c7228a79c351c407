package io.gatehouse.core.rules.expr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
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
 * <p>Instances are immutable and thread-safe. A search costs at most the value's length times the total
 * length of the literals, and the literals are bounded: at most {@value #MAX_LITERALS} of at most
 * {@value #MAX_LENGTH} characters each.
 */
final class RequiredLiterals {

  static final int MAX_LITERALS = 16;
  static final int MAX_LENGTH = 64;

  /** Up to this length, a value is first summarised by the characters it has; see {@link #foundIn}. */
  private static final int SUMMARY_LENGTH = 64;

  private final String[] exact; // searched as they are
  private final FoldedLiteral[] folded; // in folded form, searched by it
  private final long[] needs; // per literal, the characters it needs; see foundIn

  private RequiredLiterals(String[] exact, FoldedLiteral[] folded) {
    this.exact = exact;
    this.folded = folded;
    this.needs = new long[exact.length + folded.length];
    for (int i = 0; i < needs.length; i++) {
      needs[i] = summary(i < exact.length ? exact[i] : folded[i - exact.length].text());
    }
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
   * The literals one of which every match of {@code regex} contains, or {@code null} when none can be
   * derived with certainty. {@code regex} must be a pattern RE2/J compiles.
   */
  static RequiredLiterals of(String regex) {
    Info info;
    try {
      Analyser a = new Analyser(regex, false);
      info = a.alternation();
      if (a.pos != regex.length()) {
        return null;
      }
      if (a.sawFold) {
        // RE2/J factors a common leading character out of alternatives without comparing their
        // case-folding, so (?i:bx+)|B matches "b": once (?i) appears, no literal is trusted with case.
        info = new Analyser(regex, true).alternation();
      }
    } catch (GiveUp e) {
      return null;
    }
    Set<Lit> required = info.necessary();
    if (required == null) {
      return null;
    }
    List<String> exact = new ArrayList<>();
    List<FoldedLiteral> folded = new ArrayList<>();
    for (Lit lit : required) {
      if (lit.fold) {
        folded.add(FoldedLiteral.re2(lit.text));
      } else {
        exact.add(lit.text);
      }
    }
    return new RequiredLiterals(exact.toArray(new String[0]), folded.toArray(new FoldedLiteral[0]));
  }

  /**
   * Whether {@code value} contains one of the literals; when it does not, the regex cannot match it.
   *
   * <p>A short value, such as a query string, is first summarised in one pass by the characters it has:
   * if it lacks a character of every literal, no literal is searched for at all.
   */
  boolean foundIn(String value) {
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

  /** The literals searched as written, for tests. */
  List<String> exact() {
    return List.of(exact);
  }

  /** The literals searched by folded form, for tests. */
  List<String> folded() {
    return Arrays.stream(folded).map(FoldedLiteral::text).toList();
  }

  private static String foldedForm(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      b.append(FoldedLiteral.fold(s.charAt(i), true));
    }
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------------
  // Analysis

  /** One literal: its text, and whether it is in folded form and searched by it. */
  private record Lit(String text, boolean fold) {

    static final Lit EMPTY = new Lit("", false);

    Lit then(Lit next) {
      if (fold == next.fold) {
        return new Lit(text + next.text, fold);
      }
      return new Lit(foldedForm(text) + foldedForm(next.text), true);
    }
  }

  /**
   * What is known of a piece of pattern: {@code exact}, the strings it matches (up to folded form
   * where folded), or else {@code required}, strings one of which occurs in anything it matches; both
   * {@code null} when nothing is known.
   */
  private record Info(Set<Lit> exact, Set<Lit> required) {

    static final Info UNKNOWN = new Info(null, null);
    static final Info EMPTY = exactly(Set.of(Lit.EMPTY));

    static Info exactly(Set<Lit> strings) {
      return new Info(strings, null);
    }

    static Info requiring(Set<Lit> strings) {
      return strings == null ? UNKNOWN : new Info(null, strings);
    }

    /** Strings one of which occurs in every match, or {@code null} when that says nothing. */
    Set<Lit> necessary() {
      Set<Lit> r = exact != null ? exact : required;
      if (r == null) {
        return null;
      }
      for (Lit lit : r) {
        if (lit.text.isEmpty()) {
          return null; // the empty string occurs everywhere
        }
      }
      return r;
    }
  }

  /** Thrown where the pattern holds something the analysis does not handle with certainty. */
  private static final class GiveUp extends Exception {
    GiveUp() {
      super(null, null, false, false);
    }
  }

  /** A recursive-descent reading of RE2/J's syntax; one per pattern. */
  private static final class Analyser {

    private final String re;
    private final boolean foldAll;
    private int pos;
    private boolean fold;
    private boolean sawFold;
    private int depth;

    /** With {@code foldAll}, every literal is read as if under {@code (?i)}. */
    Analyser(String re, boolean foldAll) {
      this.re = re;
      this.foldAll = foldAll;
    }

    private GiveUp giveUp() {
      return new GiveUp();
    }

    private boolean more() {
      return pos < re.length();
    }

    private char peek() {
      return re.charAt(pos);
    }

    /** {@code a|b|...} up to an unmatched {@code )} or the end. */
    Info alternation() throws GiveUp {
      if (++depth > 200) {
        throw giveUp();
      }
      List<Info> branches = new ArrayList<>();
      branches.add(concatenation());
      while (more() && peek() == '|') {
        pos++;
        branches.add(concatenation());
      }
      depth--;
      return branches.size() == 1 ? branches.get(0) : alternate(branches);
    }

    private Info concatenation() throws GiveUp {
      List<Info> parts = new ArrayList<>();
      while (more() && peek() != '|' && peek() != ')') {
        char c = peek();
        if (c == '*' || c == '+' || c == '?' || c == '{' && repeatAhead()) {
          // A repetition applies to the part before it (RE2 has (?i) and an empty \Q\E add none).
          if (parts.isEmpty()) {
            throw giveUp();
          }
          int min = readRepeatMinimum();
          Info last = parts.remove(parts.size() - 1);
          parts.add(min == 0 ? Info.UNKNOWN : Info.requiring(last.exact != null ? last.exact : last.required));
        } else {
          atom(parts);
        }
      }
      return concatenate(parts);
    }

    /** Reads one atom at the cursor and adds what it matches to {@code parts} (nothing for a flag group). */
    private void atom(List<Info> parts) throws GiveUp {
      char c = peek();
      switch (c) {
        case '(' -> group(parts);
        case '[' -> {
          skipClass();
          parts.add(Info.UNKNOWN);
        }
        case '.' -> {
          pos++;
          parts.add(Info.UNKNOWN);
        }
        case '^', '$' -> {
          pos++;
          parts.add(Info.EMPTY);
        }
        case '\\' -> escape(parts);
        default -> {
          int cp = re.codePointAt(pos);
          pos += Character.charCount(cp);
          parts.add(literal(cp));
        }
      }
    }

    private void group(List<Info> parts) throws GiveUp {
      pos++; // (
      boolean saved = fold;
      if (re.startsWith("?P<", pos) || re.startsWith("?<", pos)) {
        int end = re.indexOf('>', pos);
        if (end < 0) {
          throw giveUp();
        }
        for (int i = pos + (re.charAt(pos + 1) == 'P' ? 3 : 2); i < end; i++) {
          char n = re.charAt(i);
          if (!(n == '_' || n >= '0' && n <= '9' || n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z')) {
            throw giveUp();
          }
        }
        pos = end + 1;
      } else if (re.startsWith("?", pos)) {
        pos++;
        if (flags()) {
          return; // (?flags): changes the rest of the enclosing group, adds nothing
        }
      }
      Info inner = alternation();
      if (!more() || peek() != ')') {
        throw giveUp();
      }
      pos++;
      fold = saved;
      parts.add(inner);
    }

    /**
     * Reads flags after {@code (?} up to {@code )} (returns true: they apply from here) or {@code :}
     * (returns false: a group follows, and they apply inside it).
     */
    private boolean flags() throws GiveUp {
      boolean negated = false;
      boolean sawFlag = false;
      boolean newFold = fold;
      while (more()) {
        char c = re.charAt(pos++);
        switch (c) {
          case 'i' -> {
            newFold = !negated;
            sawFold |= !negated;
            sawFlag = true;
          }
          case 'm', 's', 'U' -> sawFlag = true;
          case '-' -> {
            if (negated) {
              throw giveUp();
            }
            negated = true;
            sawFlag = false;
          }
          case ':', ')' -> {
            if (negated && !sawFlag) {
              throw giveUp();
            }
            fold = newFold;
            return c == ')';
          }
          default -> throw giveUp();
        }
      }
      throw giveUp();
    }

    private void escape(List<Info> parts) throws GiveUp {
      if (pos + 1 >= re.length()) {
        throw giveUp();
      }
      char c = re.charAt(pos + 1);
      switch (c) {
        case 'A', 'z', 'b', 'B' -> {
          pos += 2;
          parts.add(Info.EMPTY);
        }
        case 'Q' -> {
          int start = pos + 2;
          int end = re.indexOf("\\E", start);
          int stop = end < 0 ? re.length() : end;
          for (int i = start; i < stop; ) {
            int cp = re.codePointAt(i);
            i += Character.charCount(cp);
            parts.add(literal(cp));
          }
          pos = end < 0 ? re.length() : end + 2;
        }
        case 'p', 'P' -> {
          skipUnicodeClass();
          parts.add(Info.UNKNOWN);
        }
        case 'd', 'D', 's', 'S', 'w', 'W' -> {
          pos += 2;
          parts.add(Info.UNKNOWN);
        }
        default -> parts.add(literal(escapedCharacter()));
      }
    }

    /** {@code \p{Name}}, {@code \pL} and their negations; the cursor is at the backslash. */
    private void skipUnicodeClass() throws GiveUp {
      pos += 2;
      if (!more()) {
        throw giveUp();
      }
      if (peek() == '{') {
        int end = re.indexOf('}', pos);
        if (end < 0) {
          throw giveUp();
        }
        pos = end + 1;
      } else {
        pos += Character.charCount(re.codePointAt(pos));
      }
    }

    /**
     * The character of an ordinary escape at the cursor (punctuation, {@code \t}, octal, hexadecimal,
     * ...), as RE2/J's {@code parseEscape} reads it; gives up on anything else.
     */
    private int escapedCharacter() throws GiveUp {
      pos++; // backslash
      if (!more()) {
        throw giveUp();
      }
      int c = re.codePointAt(pos);
      pos += Character.charCount(c);
      if (c < 0x80 && !Character.isLetterOrDigit(c)) {
        return c;
      }
      switch (c) {
        case '1', '2', '3', '4', '5', '6', '7', '0' -> {
          if (c != '0' && !(more() && peek() >= '0' && peek() <= '7')) {
            throw giveUp(); // a backreference, which RE2 rejects
          }
          int r = c - '0';
          for (int i = 1; i < 3 && more() && peek() >= '0' && peek() <= '7'; i++) {
            r = r * 8 + re.charAt(pos++) - '0';
          }
          return r;
        }
        case 'x' -> {
          if (!more()) {
            throw giveUp();
          }
          if (peek() == '{') {
            int end = re.indexOf('}', pos);
            if (end < 0 || end == pos + 1 || end - pos - 1 > 6) {
              throw giveUp();
            }
            int r = hex(re, pos + 1, end);
            pos = end + 1;
            return r;
          }
          if (pos + 2 > re.length()) {
            throw giveUp();
          }
          int r = hex(re, pos, pos + 2);
          pos += 2;
          return r;
        }
        case 'a' -> {
          return 7;
        }
        case 'f' -> {
          return '\f';
        }
        case 'n' -> {
          return '\n';
        }
        case 'r' -> {
          return '\r';
        }
        case 't' -> {
          return '\t';
        }
        case 'v' -> {
          return 11;
        }
        default -> throw giveUp();
      }
    }

    private int hex(String s, int from, int to) throws GiveUp {
      int r = 0;
      for (int i = from; i < to; i++) {
        int d = Character.digit(s.charAt(i), 16);
        if (d < 0 || s.charAt(i) > 'f') {
          throw giveUp();
        }
        r = r * 16 + d;
      }
      if (r > Character.MAX_CODE_POINT) {
        throw giveUp();
      }
      return r;
    }

    /** Skips a class {@code [...]} the way RE2/J's {@code parseClass} reads it. */
    private void skipClass() throws GiveUp {
      pos++; // [
      if (more() && peek() == '^') {
        pos++;
      }
      boolean first = true;
      while (!more() || peek() != ']' || first) {
        if (!more()) {
          throw giveUp();
        }
        first = false;
        if (re.startsWith("[:", pos)) {
          int end = re.indexOf(":]", pos);
          if (end >= 0) {
            pos = end + 2;
            continue;
          }
        }
        if (re.startsWith("\\p", pos) || re.startsWith("\\P", pos)) {
          skipUnicodeClass();
          continue;
        }
        if (pos + 1 < re.length() && peek() == '\\' && "dDsSwW".indexOf(re.charAt(pos + 1)) >= 0) {
          pos += 2;
          continue;
        }
        skipClassCharacter();
        if (more() && peek() == '-') {
          pos++;
          if (more() && peek() == ']') {
            pos--; // [a-] is a and -: the '-' is read next round
          } else {
            skipClassCharacter();
          }
        }
      }
      pos++; // ]
    }

    private void skipClassCharacter() throws GiveUp {
      if (!more()) {
        throw giveUp();
      }
      if (peek() == '\\') {
        escapedCharacter();
      } else {
        pos += Character.charCount(re.codePointAt(pos));
      }
    }

    /** Whether a well-formed {@code {n}}, {@code {n,}} or {@code {n,m}} stands at the cursor. */
    private boolean repeatAhead() throws GiveUp {
      int save = pos;
      try {
        return readRepeatMinimum() >= 0;
      } catch (GiveUp e) {
        return false;
      } finally {
        pos = save;
      }
    }

    /**
     * Reads a repetition operator and an optional {@code ?} after it; returns its minimum count. A
     * {@code {} that is not a repetition by RE2/J's rules is not passed here.
     */
    private int readRepeatMinimum() throws GiveUp {
      char c = re.charAt(pos++);
      int min;
      if (c == '*' || c == '?') {
        min = 0;
      } else if (c == '+') {
        min = 1;
      } else {
        min = number();
        if (more() && peek() == ',') {
          pos++;
          if (more() && peek() != '}') {
            number();
          }
        }
        if (!more() || peek() != '}') {
          throw giveUp();
        }
        pos++;
      }
      if (more() && peek() == '?') {
        pos++;
      }
      return min;
    }

    /** A decimal number as RE2/J's repetition counts: no sign, no leading zero, at most 1000. */
    private int number() throws GiveUp {
      int start = pos;
      while (more() && peek() >= '0' && peek() <= '9' && pos - start < 5) {
        pos++;
      }
      String digits = re.substring(start, pos);
      if (digits.isEmpty() || digits.length() > 4 || digits.length() > 1 && digits.charAt(0) == '0') {
        throw giveUp();
      }
      int n = Integer.parseInt(digits);
      if (n > 1000) {
        throw giveUp();
      }
      return n;
    }

    /** One literal character under the current flags. */
    private Info literal(int cp) {
      if (fold || foldAll) {
        if (cp >= 0x80) {
          return Info.UNKNOWN; // its case folding is not modelled here
        }
        return Info.exactly(Set.of(new Lit(String.valueOf(FoldedLiteral.fold((char) cp, true)), true)));
      }
      return Info.exactly(Set.of(new Lit(new String(Character.toChars(cp)), false)));
    }

    // -------------------------------------------------------------------------------------------------
    // Combining

    private static Info alternate(List<Info> branches) {
      boolean allExact = true;
      for (Info b : branches) {
        allExact &= b.exact != null;
      }
      Set<Lit> union = new LinkedHashSet<>();
      for (Info b : branches) {
        Set<Lit> r = allExact ? b.exact : b.necessary();
        if (r == null) {
          return Info.UNKNOWN;
        }
        union.addAll(r);
        if (union.size() > MAX_LITERALS) {
          return Info.UNKNOWN;
        }
      }
      return allExact ? Info.exactly(union) : Info.requiring(union);
    }

    private static Info concatenate(List<Info> parts) {
      if (parts.size() == 1) {
        return parts.get(0);
      }
      List<Set<Lit>> candidates = new ArrayList<>();
      Set<Lit> run = Set.of(Lit.EMPTY);
      boolean allExact = true;
      for (Info part : parts) {
        if (part.exact != null) {
          Set<Lit> product = product(run, part.exact);
          if (product != null) {
            run = product;
          } else {
            allExact = false;
            candidates.add(run);
            run = part.exact;
          }
        } else {
          allExact = false;
          candidates.add(run);
          run = Set.of(Lit.EMPTY);
          if (part.required != null) {
            candidates.add(part.required);
          }
        }
      }
      if (allExact) {
        return Info.exactly(run);
      }
      candidates.add(run);
      Set<Lit> best = null;
      for (Set<Lit> c : candidates) {
        if (better(c, best)) {
          best = c;
        }
      }
      return Info.requiring(best);
    }

    /** Every string of {@code a} followed by every string of {@code b}, or {@code null} if too many or long. */
    private static Set<Lit> product(Set<Lit> a, Set<Lit> b) {
      if ((long) a.size() * b.size() > MAX_LITERALS) {
        return null;
      }
      Set<Lit> out = new LinkedHashSet<>();
      for (Lit x : a) {
        for (Lit y : b) {
          if (x.text.length() + y.text.length() > MAX_LENGTH) {
            return null;
          }
          out.add(x.then(y));
        }
      }
      return out;
    }

    /** Whether requiring one of {@code c} filters more than requiring one of {@code best}. */
    private static boolean better(Set<Lit> c, Set<Lit> best) {
      int shortest = shortest(c);
      if (shortest == 0) {
        return false;
      }
      if (best == null) {
        return true;
      }
      int bestShortest = shortest(best);
      return shortest > bestShortest || shortest == bestShortest && c.size() < best.size();
    }

    private static int shortest(Set<Lit> set) {
      int min = Integer.MAX_VALUE;
      for (Lit lit : set) {
        min = Math.min(min, lit.text.length());
      }
      return min;
    }
  }
}
