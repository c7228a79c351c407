package io.gatehouse.core.rules.expr;

/**
 * A literal compared without regard to case, prepared once for searching many values.
 *
 * <p>Two foldings exist. {@link #ascii} is the language's: {@code lower()}, {@code upper()} and
 * {@code wildcard} change ASCII letters only, so {@code K} and {@code k} are equal and nothing else is.
 * {@link #re2} is RE2's under {@code (?i)} as far as ASCII letters go: besides the ASCII case pairs,
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
final class FoldedLiteral {

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
  static FoldedLiteral ascii(String lowerCaseLiteral) {
    return new FoldedLiteral(lowerCaseLiteral, false);
  }

  /** {@code literal} as RE2 sees it under {@code (?i)}; it must be in folded form already. */
  static FoldedLiteral re2(String foldedLiteral) {
    return new FoldedLiteral(foldedLiteral, true);
  }

  /** The folded form of {@code c}: ASCII upper case to lower case and, under RE2's folding, K and ſ to k and s. */
  static char fold(char c, boolean re2) {
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
  boolean regionMatches(String value, int at) {
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
  boolean foundIn(String value) {
    return indexIn(value, 0, value.length()) >= 0;
  }

  /** The first index at or after {@code from} where the literal starts and ends by {@code limit}, or -1. */
  int indexIn(String value, int from, int limit) {
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
