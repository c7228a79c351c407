package io.gatehouse.core.reputation;

import java.util.Locale;

/**
 * How much bad reputation is tolerated: a request whose threat score is above the level's threshold is
 * mitigated. {@link #UNDER_ATTACK} challenges every visitor who has no clearance.
 */
public enum SecurityLevel {
  OFF(Integer.MAX_VALUE),
  ESSENTIALLY_OFF(49),
  LOW(24),
  MEDIUM(14),
  HIGH(0),
  UNDER_ATTACK(0);

  private final int threshold;

  SecurityLevel(int threshold) {
    this.threshold = threshold;
  }

  /** Scores above this are mitigated. */
  public int threshold() {
    return threshold;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level named {@code id}, or {@code null}. */
  public static SecurityLevel fromId(String id) {
    for (SecurityLevel l : values()) {
      if (l.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    return null;
  }
}
