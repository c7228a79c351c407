package io.gatehouse.core.rules.expr;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;

/** The comparison operators, with their spellings: every one has a word, and some a symbol too. */
enum ComparisonOp {
  EQ("eq", "=="),
  NE("ne", "!="),
  LT("lt", "<"),
  LE("le", "<="),
  GT("gt", ">"),
  GE("ge", ">="),
  CONTAINS("contains", null),
  MATCHES("matches", "~"),
  WILDCARD("wildcard", null),
  /** Written as two words, {@code strict wildcard}; {@link #word} is the first. */
  STRICT_WILDCARD("strict", null),
  IN("in", null),
  /** {@code x & 0x02}: true when the Integer and the literal share a set bit. */
  BITWISE_AND("bitwise_and", "&");

  /** The operators that have a symbol, longest symbol first, so that {@code <=} is not read as {@code <}. */
  static final ComparisonOp[] BY_SYMBOL = Arrays.stream(values()).filter(op -> op.symbol != null)
      .sorted(Comparator.comparingInt((ComparisonOp op) -> op.symbol.length()).reversed())
      .toArray(ComparisonOp[]::new);

  /** The characters a symbol can start with. */
  static final String SYMBOL_STARTS = Arrays.stream(BY_SYMBOL).map(op -> op.symbol.substring(0, 1)).distinct()
      .collect(Collectors.joining());

  static final ComparisonOp[] ALL = values();

  final String word;
  final String symbol;

  ComparisonOp(String word, String symbol) {
    this.word = word;
    this.symbol = symbol;
  }

  /** Whether the operator applies to Integers only. */
  boolean integerOnly() {
    return this == BITWISE_AND;
  }

  /** Whether the operator compares Strings only. */
  boolean stringOnly() {
    return this == CONTAINS || this == MATCHES || this == WILDCARD || this == STRICT_WILDCARD;
  }
}
