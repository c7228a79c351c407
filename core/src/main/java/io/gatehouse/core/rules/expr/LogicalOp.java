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

  /** The operators by level. */
  private static final LogicalOp[] BY_LEVEL = byLevel();

  /** The highest level; past it come {@code not} and the operands. */
  static final int TIGHTEST = BY_LEVEL.length - 1;

  /** How tightly the operator binds: 0 is loosest. */
  final int level;
  final String word;
  final String symbol;

  LogicalOp(int level, String word, String symbol) {
    this.level = level;
    this.word = word;
    this.symbol = symbol;
  }

  /** The operator of {@code level}, from 0 to {@link #TIGHTEST}. */
  static LogicalOp at(int level) {
    return BY_LEVEL[level];
  }

  private static LogicalOp[] byLevel() {
    LogicalOp[] ops = new LogicalOp[values().length];
    for (LogicalOp op : values()) {
      if (ops[op.level] != null) {
        throw new IllegalStateException(op + " and " + ops[op.level] + " share level " + op.level);
      }
      ops[op.level] = op;
    }
    return ops;
  }
}
