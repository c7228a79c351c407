package io.gatehouse.core;

import java.util.Locale;

/** What produced a decision or a security event. */
public enum Source {
  /** Nothing matched; the request was allowed by default. */
  NONE,
  /** An IP Access Rule (address, range, ASN, country, continent). */
  ACCESS_RULES,
  /** A custom rule. */
  CUSTOM_RULES,
  /** The Browser Integrity Check. */
  BROWSER_INTEGRITY_CHECK,
  /** The Security Level applied to the threat score, or {@code under_attack}. */
  SECURITY_LEVEL,
  /** The challenge: a clearance solved or refused. */
  CHALLENGE,
  /** An internal failure, handled as {@code gatehouse.on-error} says. */
  INTERNAL_ERROR;

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
