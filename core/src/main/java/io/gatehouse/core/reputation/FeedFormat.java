package io.gatehouse.core.reputation;

import java.util.Locale;

/** The formats a reputation feed may be written in. */
public enum FeedFormat {
  /** Decide from the content. */
  AUTO("auto"),
  /** One address or network per line; {@code #} or {@code ;} start comments (FireHOL netsets and the like). */
  PLAIN("plain"),
  /** Spamhaus DROP: {@code CIDR ; SBLnnnnnn}, header lines starting with {@code ;}. */
  SPAMHAUS_DROP("spamhaus-drop"),
  /** {@code address-or-network,score} per line; the score (1..100) replaces the feed's. */
  CSV("csv"),
  /** Tor's {@code exit-addresses}: {@code ExitAddress <ip> <timestamp>} lines within node records. */
  TOR_EXITS("tor-exits");

  private final String id;

  FeedFormat(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The format named {@code id}, or {@code null}. */
  public static FeedFormat fromId(String id) {
    for (FeedFormat f : values()) {
      if (f.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return null;
  }
}
