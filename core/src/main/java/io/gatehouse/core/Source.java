package io.gatehouse.core;

import java.util.Locale;

/**
 * What produced a decision or a security event: one of the deciding phases, or something outside them.
 * Each deciding {@link Phase} has the source of the same name ({@link #of(Phase)}).
 */
public enum Source {
  /** Nothing matched; the request was allowed by default. */
  NONE(null),
  /** An IP Access Rule (address, range, ASN, country, continent). */
  ACCESS_RULES(Phase.ACCESS_RULES),
  /** A custom rule. */
  CUSTOM_RULES(Phase.CUSTOM_RULES),
  /** A rate limiting rule. */
  RATE_LIMITING(Phase.RATE_LIMITING),
  /** The Browser Integrity Check. */
  BROWSER_INTEGRITY_CHECK(Phase.BROWSER_INTEGRITY_CHECK),
  /** The Security Level applied to the threat score, or {@code under_attack}. */
  SECURITY_LEVEL(Phase.SECURITY_LEVEL),
  /** The challenge: a clearance solved or refused. */
  CHALLENGE(null),
  /** Probing: many 403 and 404 answers on distinct paths, seen after the application answered. */
  PROBING(null),
  /** An internal failure, handled as {@code gatehouse.on-error} says. */
  INTERNAL_ERROR(null);

  private final Phase phase;

  Source(Phase phase) {
    this.phase = phase;
  }

  /** The phase this source is, or {@code null} for a source outside the phases. */
  public Phase phase() {
    return phase;
  }

  /** The source that a phase's verdict has. */
  public static Source of(Phase phase) {
    for (Source s : values()) {
      if (s.phase == phase) {
        return s;
      }
    }
    throw new IllegalArgumentException(phase + " never decides a request");
  }

  /** The snake-case name used in events and JSON. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The source with this id, or {@code null}. */
  public static Source fromId(String id) {
    for (Source s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }
}
