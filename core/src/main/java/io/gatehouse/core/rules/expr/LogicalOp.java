package io.gatehouse.core.rules.expr;

/**
 * The binary logical operators and their precedence: the table the {@link Parser}'s one loop over levels
 * reads. As in wirefilter, {@code not} binds tighter than all of them, then {@code and}, {@code xor} and
 * {@code or}; each is written as a word or as a symbol.
 */
enum LogicalOp {
  OR(0, "or", "||"),
  XOR(1, "xor", "^^"),
  AND(2, "and", "&&");

  /** The highest level; past it come {@code not} and the operands. */
  static final int TIGHTEST = 2;

  /** How tightly the operator binds: 0 is loosest. */
  final int level;
  final String word;
  final String symbol;

  LogicalOp(int level, String word, String symbol) {
    this.level = level;
    this.word = word;
    this.symbol = symbol;
  }

  /** The operator of {@code level}. */
  static LogicalOp at(int level) {
    for (LogicalOp op : values()) {
      if (op.level == level) {
        return op;
      }
    }
    throw new IllegalArgumentException("no operator at level " + level);
  }
}
