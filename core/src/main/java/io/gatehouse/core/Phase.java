package io.gatehouse.core;

import java.util.Locale;

/** The phases of a decision, in the order they run. */
public enum Phase {
  /** Configuration rules: settings for this request (security level, integrity check, mode). */
  CONFIGURATION_RULES,
  /** IP Access Rules: address, range, ASN, country and continent. */
  ACCESS_RULES,
  /** Custom rules written in the rules language. */
  CUSTOM_RULES,
  /** Rate limiting rules: requests counted per key over a period. */
  RATE_LIMITING,
  /** Browser Integrity Check: headers and User-Agent heuristics. */
  BROWSER_INTEGRITY_CHECK,
  /** Security Level: the threat score against the level's threshold. */
  SECURITY_LEVEL;

  /** The snake-case name used in configuration ({@code skip}) and traces. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The phase with this id, or {@code null}. */
  public static Phase fromId(String id) {
    for (Phase p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    return null;
  }
}
