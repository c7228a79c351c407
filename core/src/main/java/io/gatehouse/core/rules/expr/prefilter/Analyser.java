package io.gatehouse.core.rules.expr.prefilter;

import io.gatehouse.core.rules.expr.prefilter.Info.Lit;
import io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a pattern the way RE2/J's parser does, far enough to summarise each construct as an {@link Info},
 * and gives up wherever it is not certain: a prefilter that is wrong would hide matches, and one that is
 * missing only costs time. One per pattern; not thread-safe.
 */
final class Analyser {

  /** Thrown where the pattern holds something the analysis does not handle with certainty. */
  private static final class GiveUp extends Exception {
    GiveUp() {
      super(null, null, false, false);
    }
  }

  private final String re;
  private final boolean foldAll;
  private int pos;
  private boolean fold;
  private boolean sawFold;
  private int depth;

  /** With {@code foldAll}, every literal is read as if under {@code (?i)}. */
  private Analyser(String re, boolean foldAll) {
    this.re = re;
    this.foldAll = foldAll;
  }

  /**
   * The literals one of which every match of {@code regex} contains, or {@code null} when none can be
   * derived with certainty. {@code regex} must be a pattern RE2/J compiles.
   */
  static Set<Lit> required(String regex) {
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
    return info.necessary();
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
  private Info alternation() throws GiveUp {
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
    return branches.size() == 1 ? branches.get(0) : Info.alternate(branches);
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
        parts.add(min == 0 ? Info.UNKNOWN : Info.requiring(last.exact() != null ? last.exact() : last.required()));
      } else {
        atom(parts);
      }
    }
    return Info.concatenate(parts);
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
}
