/**
 * Reading configuration: the properties reader that keeps file order and line numbers, {@code ${ENV}}
 * interpolation, value parsers, the key registry with its "did you mean", and the problems that are
 * collected and reported together as {@code file:line: key: message}.
 */
package io.gatehouse.core.config;
