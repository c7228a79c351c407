/**
 * Security events: one {@link io.gatehouse.core.events.SecurityEvent} per mitigation, {@code log} match
 * and challenge outcome, kept in the bounded, queryable {@link io.gatehouse.core.events.EventLog} and
 * written to the SLF4J logger {@code gatehouse.events}.
 */
package io.gatehouse.core.events;
