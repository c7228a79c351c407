package io.gatehouse.core.rules.expr;

/**
 * The binary logical operators and their precedence: the table the {@link Parser}'s one loop reads. As
 * in wirefilter, {@code not} binds tighter than all of them, then {@code and}, {@code xor} and
 * {@code or}; each is written as a word or as a symbol.
 */
enum LogicalOp {
  OR(0, "or", "||"),
  XOR(1, "xor", "^^"),
  AND(2, "and", "&&");

  static final LogicalOp[] ALL = values();

  /** How tightly the operator binds: 0 is loosest. */
  final int level;
  final String word;
  final String symbol;

  LogicalOp(int level, String word, String symbol) {
    this.level = level;
    this.word = word;
    this.symbol = symbol;
  }
}
