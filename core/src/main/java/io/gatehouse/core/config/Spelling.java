package io.gatehouse.core.config;

/**
 * "Did you mean" for names that must be written exactly: configuration keys, and the fields and
 * functions of the rules language. A typo is a few edits away from what was meant; anything further is
 * more likely a different name altogether, so no suggestion beats a wrong one.
 *
 * <p>Stateless and thread-safe.
 */
public final class Spelling {

  private Spelling() {}

  /**
   * The candidate closest to {@code written}, or {@code null} when none is within {@code maxDistance}
   * edits. Of equally close candidates, the first wins, so callers list the likelier names first.
   */
  public static String closest(String written, Iterable<String> candidates, int maxDistance) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      // The distance is at least the difference in length; skipping on it keeps a long input cheap.
      if (Math.abs(c.length() - written.length()) > maxDistance) {
        continue;
      }
      int d = distance(written, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= maxDistance ? best : null;
  }

  /** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
