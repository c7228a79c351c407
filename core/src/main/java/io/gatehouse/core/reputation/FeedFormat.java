package io.gatehouse.core.reputation;

import java.util.Locale;

/** The formats a reputation feed may be written in. */
public enum FeedFormat {
  /** Decide from the content. */
  AUTO,
  /** One address or network per line; {@code #} or {@code ;} start comments (FireHOL netsets and the like). */
  PLAIN,
  /** Spamhaus DROP: {@code CIDR ; SBLnnnnnn}, header lines starting with {@code ;}. */
  SPAMHAUS_DROP,
  /** {@code address-or-network,score} per line; the score (1..100) replaces the feed's. */
  CSV,
  /** Tor's {@code exit-addresses}: {@code ExitAddress <ip> <timestamp>} lines within node records. */
  TOR_EXITS;

  /** The name used in configuration: the constant's name in lower case, with {@code -} for {@code _}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The format named {@code id}, or {@code null}. */
  public static FeedFormat fromId(String id) {
    for (FeedFormat f : values()) {
      if (f.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return null;
  }
}
