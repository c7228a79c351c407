/**
 * The rules language: Cloudflare's expression syntax (wirefilter), compiled once and evaluated per
 * request. {@link io.gatehouse.core.rules.expr.Expression} compiles a source string against the
 * configured {@link io.gatehouse.core.rules.expr.Expression.Lists} and evaluates it against a
 * {@link io.gatehouse.core.rules.expr.Expression.Context}; a bad expression is an
 * {@link io.gatehouse.core.rules.expr.ExpressionException} with the column of the offending token. Those
 * four types are the package's interface; everything else here is implementation.
 *
 * <h2>From source to evaluation</h2>
 * {@code Expression.compile} runs four stages, each with one job:
 * <ol>
 *   <li><b>Lex and parse.</b> {@code Parser} reads the source through {@code Lexer}, a cursor it drives
 *       (which token comes next depends on what the parser expects), into a {@code Syntax} tree of
 *       records. Precedence is the {@code LogicalOp} table, read by one loop. The parser judges nothing
 *       but the grammar, and never fails: where the text stops making sense it leaves a
 *       {@code Syntax.Malformed} node and stops reading.
 *   <li><b>Check.</b> {@code Checker}, with {@code ValueChecker} for the right side of comparisons,
 *       resolves fields ({@code Fields}), functions and lists, types every operand ({@code Type}),
 *       enforces the {@code Limits}, and parses literals into values, producing a {@code Checked} tree.
 *       It walks the syntax tree in reading order and reports the first problem it meets, a syntax
 *       error left by the parser included, so the message is always about the first thing wrong in the
 *       text. Every message echoes the offending input at its column.
 *   <li><b>Compile.</b> {@code Compiler} turns the checked tree into a tree of small functions
 *       ({@code Nodes}, {@code Conditions}), choosing once the cheapest form of each comparison.
 *   <li><b>Evaluate.</b> {@code Expression.matches} calls the root node. Evaluation walks no syntax
 *       tree, checks nothing and allocates nothing, except the {@code Iteration} that {@code any()} and
 *       {@code all()} hand their condition.
 * </ol>
 *
 * <p>The matchers the compiled nodes call live beside them: {@code Wildcard}, {@code IntRanges},
 * {@code Text} (the string functions, total over any input) and {@code DecodeCache}. The functions beyond
 * the basic ones are checked by {@code FunctionChecker} and run by {@code Functions} (JSON lookups by
 * {@code Json}); the fields computed from the request are {@code Derived}'s and, for the body,
 * {@code Body}'s, each computed on its first read and kept in the context's memo. Regular expressions
 * and their literal prefilter, and the caseless search that {@code lower(x) eq "..."} and wildcards use,
 * are in {@link io.gatehouse.core.rules.expr.prefilter}.
 */
package io.gatehouse.core.rules.expr;
