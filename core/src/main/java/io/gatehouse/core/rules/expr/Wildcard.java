package io.gatehouse.core.rules.expr;

import io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled {@code wildcard} or {@code strict wildcard} pattern: it matches the whole value, {@code *}
 * stands for any run of characters (possibly none), {@code \*} for a star and {@code \\} for a backslash.
 * {@code wildcard} ignores the case of ASCII letters, {@code strict wildcard} does not.
 *
 * <p>As in wirefilter, {@code **} and any other backslash escape are compile errors. Matching cuts the
 * pattern at its stars: the first piece must start the value, the last must end it, and each piece in
 * between is found leftmost after the previous one, which is exact for star-only patterns and never
 * backtracks.
 *
 * <p>Instances are immutable and thread-safe.
 */
final class Wildcard {

  private final String[] parts; // the literal pieces between stars
  private final FoldedLiteral[] folded; // the same, when ignoring case; else null

  private Wildcard(String[] parts, FoldedLiteral[] folded) {
    this.parts = parts;
    this.folded = folded;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException saying what is wrong with the pattern
   */
  static Wildcard compile(String pattern, boolean caseSensitive) {
    List<String> parts = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    boolean previousWasStar = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        if (previousWasStar) {
          throw new IllegalArgumentException("'**' is not allowed in a wildcard pattern; a single '*' already"
              + " matches any run of characters");
        }
        parts.add(piece.toString());
        piece.setLength(0);
        previousWasStar = true;
        continue;
      }
      previousWasStar = false;
      if (c == '\\') {
        if (i + 1 == pattern.length()) {
          throw new IllegalArgumentException("a wildcard pattern cannot end with a lone '\\'; write \\\\ for a"
              + " backslash");
        }
        char next = pattern.charAt(++i);
        if (next != '*' && next != '\\') {
          throw new IllegalArgumentException("unknown escape '\\" + next + "' in a wildcard pattern; only \\* and"
              + " \\\\ are allowed");
        }
        c = next;
      }
      piece.append(caseSensitive ? c : Text.lower(c));
    }
    parts.add(piece.toString());
    FoldedLiteral[] folded = caseSensitive ? null
        : parts.stream().map(FoldedLiteral::ascii).toArray(FoldedLiteral[]::new);
    return new Wildcard(parts.toArray(new String[0]), folded);
  }

  boolean matches(String value) {
    String[] p = parts;
    int last = p.length - 1;
    if (last == 0) {
      return value.length() == p[0].length() && region(value, 0, 0);
    }
    int start = p[0].length();
    int end = value.length() - p[last].length();
    if (end < start || !region(value, 0, 0) || !region(value, end, last)) {
      return false;
    }
    for (int i = 1; i < last; i++) {
      int at = folded == null ? Text.indexOf(value, p[i], start, end) : folded[i].indexIn(value, start, end);
      if (at < 0) {
        return false;
      }
      start = at + p[i].length();
    }
    return true;
  }

  /** The longest piece between stars (in lower case for {@code wildcard}): every matching value holds it. */
  String longestPiece() {
    String longest = "";
    for (String p : parts) {
      longest = p.length() > longest.length() ? p : longest;
    }
    return longest;
  }

  /** How many stars the pattern has: the groups {@code wildcard_replace()} may refer to. */
  int stars() {
    return parts.length - 1;
  }

  /**
   * What each star matched, when the pattern matches the whole value, or {@code null}: each star takes the
   * shortest run that lets the rest match, as {@code wildcard_replace()} documents, but the last.
   */
  String[] captures(String value) {
    String[] p = parts;
    int last = p.length - 1;
    if (!matches(value)) {
      return null;
    }
    String[] out = new String[last];
    int start = p[0].length();
    int end = value.length() - p[last].length();
    for (int i = 1; i < last; i++) {
      int at = folded == null ? Text.indexOf(value, p[i], start, end) : folded[i].indexIn(value, start, end);
      out[i - 1] = value.substring(start, at);
      start = at + p[i].length();
    }
    if (last > 0) {
      out[last - 1] = value.substring(start, end);
    }
    return out;
  }

  private boolean region(String value, int at, int part) {
    return folded == null ? value.startsWith(parts[part], at) : folded[part].regionMatches(value, at);
  }
}
