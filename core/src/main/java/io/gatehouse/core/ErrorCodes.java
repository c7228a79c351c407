package io.gatehouse.core;

/** The error codes Gatehouse answers with, all on HTTP 403. */
public final class ErrorCodes {

  /** Access denied: the visitor's IP or network, its reputation, or the Browser Integrity Check. */
  public static final int ACCESS_DENIED = 1012;
  /** Country or region banned: a country or continent access rule. */
  public static final int COUNTRY_BANNED = 1009;
  /** Access denied by a custom rule. */
  public static final int FIREWALL_RULE = 1020;

  private ErrorCodes() {}

  /** A short snake-case name for a code, used in JSON responses. */
  public static String name(int code) {
    return switch (code) {
      case 0 -> "none";
      case COUNTRY_BANNED -> "country_banned";
      case FIREWALL_RULE -> "access_denied_firewall_rule";
      default -> "access_denied";
    };
  }
}
