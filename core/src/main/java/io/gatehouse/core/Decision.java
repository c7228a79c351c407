package io.gatehouse.core;

import java.time.Instant;

/**
 * What the engine decided about one request, and why.
 *
 * <p>A decision that lets the request through without anything to record carries no Ray ID and no time:
 * the engine spends nothing on the common case. Every mitigation, and every allowed request that a
 * {@code log} rule matched, carries the Ray ID of its security events.
 *
 * @param action what to do with the request
 * @param enforced whether the caller must carry out {@code action}; false when {@code gatehouse.mode}
 *     (or a configuration rule) says {@code simulate}, in which case the request goes through and the
 *     decision is only recorded. Always true for {@link Action#ALLOW}.
 * @param source what produced the decision
 * @param ruleId the id of the rule that decided, or {@code null}
 * @param description a human-readable reason, or {@code null}
 * @param errorCode the error code to render ({@link #ACCESS_DENIED}, {@link #COUNTRY_BANNED},
 *     {@link #FIREWALL_RULE}), or 0 for allow
 * @param rayId the Ray ID, or {@code null} when nothing was recorded
 * @param time when the decision was recorded, or {@code null} when nothing was
 * @param client the client address and how it was derived
 * @param threatScore the client's threat score, 0..100, when it was computed; otherwise 0
 * @param retryAfterSeconds for a rate limit ({@link #RATE_LIMITED}), when the client may try again, in
 *     seconds; otherwise 0
 */
public record Decision(
    Action action,
    boolean enforced,
    Source source,
    String ruleId,
    String description,
    int errorCode,
    String rayId,
    Instant time,
    ClientIp client,
    int threatScore,
    long retryAfterSeconds) {

  /** Error 1012, access denied: the visitor's IP or network, its reputation, or the Browser Integrity Check. */
  public static final int ACCESS_DENIED = 1012;
  /** Error 1009, country or region banned: a country or continent access rule. */
  public static final int COUNTRY_BANNED = 1009;
  /** Error 1020, access denied by a custom rule. */
  public static final int FIREWALL_RULE = 1020;
  /** Error 1015, rate limited: a rate limiting rule; answered with HTTP 429 and {@code Retry-After}. */
  public static final int RATE_LIMITED = 1015;

  /** A short snake-case name for an error code, used in JSON responses. */
  public static String errorName(int code) {
    return switch (code) {
      case 0 -> "none";
      case COUNTRY_BANNED -> "country_banned";
      case FIREWALL_RULE -> "access_denied_firewall_rule";
      case RATE_LIMITED -> "rate_limited";
      default -> "access_denied";
    };
  }

  /** A request let through with nothing to record: no rule decided and none logged. */
  public static Decision allow(ClientIp client, int threatScore) {
    return new Decision(Action.ALLOW, true, Source.NONE, null, null, 0, null, null, client, threatScore, 0);
  }

  /**
   * What an internal failure decides: {@code gatehouse.on-error} says whether it blocks (1012) or allows.
   *
   * @param description what failed, for the record
   */
  public static Decision internalError(FailMode failMode, Mode mode, String description, String rayId, Instant time,
      ClientIp client) {
    boolean block = failMode == FailMode.BLOCK;
    return new Decision(block ? Action.BLOCK : Action.ALLOW, !block || mode == Mode.ENFORCE, Source.INTERNAL_ERROR,
        "", description, block ? ACCESS_DENIED : 0, rayId, time, client, 0, 0);
  }

  /** This decision with another threat score. */
  public Decision withThreatScore(int score) {
    return new Decision(action, enforced, source, ruleId, description, errorCode, rayId, time, client, score,
        retryAfterSeconds);
  }

  /** Whether the caller must refuse the request (block or challenge, enforced). */
  public boolean refuses() {
    return action != Action.ALLOW && enforced;
  }

  /** The error name for {@link #errorCode()}: {@code access_denied}, {@code country_banned}, ... */
  public String errorName() {
    return errorName(errorCode);
  }
}
