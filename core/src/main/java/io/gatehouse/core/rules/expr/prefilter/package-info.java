/**
 * Literal searches that spare the rules language its costlier work, behind one public type,
 * {@link io.gatehouse.core.rules.expr.prefilter.Prefilter}.
 *
 * <p>Most values a request carries match none of a site's patterns, so the cheap question comes first:
 * a regular expression runs only on a value that holds one of the literals every match must contain
 * ({@code Prefilter.of}), and {@code lower(x) eq "admin"} or a wildcard compares {@code x} without case
 * ({@link io.gatehouse.core.rules.expr.prefilter.Prefilter.FoldedLiteral}) instead of converting a copy.
 * The regular expressions themselves are compiled here too ({@code Prefilter.compileRegex}), with a
 * guard on the size of their program, because the guard ({@code ProgramSize}) and the literal analysis
 * ({@code Analyser}, combining by {@code Info}) both read RE2/J's syntax.
 *
 * <p>The analysis gives up, and a pattern has no prefilter, wherever it is not certain: a missing
 * prefilter costs time, a wrong one would hide matches. Everything here is immutable once built and
 * thread-safe.
 */
package io.gatehouse.core.rules.expr.prefilter;
