package io.gatehouse.core.rules.expr;

/**
 * An expression that does not compile: what is wrong, and where. The column is 1-based and counts
 * characters of the expression source (a tab or a line break counts as one), so a caller that knows
 * where the expression was written can report {@code file:line:col}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ExpressionException extends Exception {

  private final int column;
  private final String problem;

  ExpressionException(int column, String problem) {
    super("col " + column + ": " + problem);
    this.column = column;
    this.problem = problem;
  }

  /** The 1-based column of the offending token; one past the end when the expression stops too early. */
  public int column() {
    return column;
  }

  /** The message without the position, echoing the offending input. */
  public String problem() {
    return problem;
  }

  /**
   * Two lines pointing at the problem: {@code source} on the first (tabs and line breaks shown as
   * spaces, so the columns line up) and a {@code ^} under the column on the second.
   */
  public String caret(String source) {
    StringBuilder line = new StringBuilder(source.length());
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      line.append(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
    return line + "\n" + " ".repeat(Math.max(0, column - 1)) + "^";
  }
}
