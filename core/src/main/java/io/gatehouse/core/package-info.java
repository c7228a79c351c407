/**
 * The engine's API: {@link io.gatehouse.core.Gatehouse} takes {@link io.gatehouse.core.RequestFacts}
 * and returns a {@link io.gatehouse.core.Decision}. Everything a request is judged by lives in one
 * immutable compiled policy that a reload swaps atomically.
 */
package io.gatehouse.core;
