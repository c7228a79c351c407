package io.gatehouse.core.rules.expr;

/**
 * What one expression may spend. Each limit is checked at compile time and reported as a compile error,
 * so nothing at run time depends on the size of a rule. Tests compile with other limits to reach the
 * ones that the source length hides (a 10,000-element set does not fit in 4,096 characters).
 *
 * @param maxSource characters of expression source (Cloudflare's limit)
 * @param maxDepth nesting of parentheses, {@code not} and function calls
 * @param maxRegex characters of one regular expression
 * @param maxRegexProgram instructions of one compiled regular expression: RE2/J simulates the program
 *     over the input, so its size bounds the cost per input character
 * @param maxSet elements of one set literal
 * @param maxString characters of one string literal
 */
record Limits(int maxSource, int maxDepth, int maxRegex, int maxRegexProgram, int maxSet, int maxString) {

  static final Limits DEFAULT = new Limits(4096, 64, 1024, 5000, 10_000, 4096);
}
