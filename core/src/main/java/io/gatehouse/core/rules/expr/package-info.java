/**
 * The rules language: Cloudflare's expression syntax (wirefilter), compiled once and evaluated per
 * request. {@link io.gatehouse.core.rules.expr.Expression} compiles a source string against the
 * configured {@link io.gatehouse.core.rules.expr.NamedLists} and evaluates it against a
 * {@link io.gatehouse.core.rules.expr.RequestContext}; a bad expression is an
 * {@link io.gatehouse.core.rules.expr.ExpressionException} with the column of the offending token.
 *
 * <p>Everything else here is implementation: a parser-driven lexer, a one-pass parser and type-checker
 * that emits small evaluation functions, the field table, and the matchers (wildcards, RE2/J regular
 * expressions with a size guard and a prefilter of the literals they require, caseless literal search,
 * integer ranges, percent-decoding).
 */
package io.gatehouse.core.rules.expr;
