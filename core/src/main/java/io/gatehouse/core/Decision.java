package io.gatehouse.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What the engine decided about one request, and why. Immutable and thread-safe; two decisions are equal
 * when their eleven properties ({@link #action()} to {@link #retryAfterSeconds()}) are.
 *
 * <p>A decision that lets the request through without anything to record carries no Ray ID and no time:
 * the engine spends nothing on the common case. Every mitigation, and every allowed request that a
 * {@code log} rule matched, carries the Ray ID of its security events.
 *
 * <p>Layout, since the engine makes one for every request: the client and its score are the decision's
 * own; what decided and what was recorded sit in an {@link Outcome}, and every plain allow (no rule
 * decided, nothing recorded) shares one, so that such a decision is 24 bytes. The outcome also remembers
 * who the visitor is when the engine had to check its clearance cookie to decide, so that
 * {@link Gatehouse#visitorId} need not check it again; a plain allow that did not shares the one outcome.
 */
public final class Decision {

  /** Error 1012, access denied: the visitor's IP or network, its reputation, or the Browser Integrity Check. */
  public static final int ACCESS_DENIED = 1012;
  /** Error 1009, country or region banned: a country or continent access rule. */
  public static final int COUNTRY_BANNED = 1009;
  /** Error 1020, access denied by a custom rule. */
  public static final int FIREWALL_RULE = 1020;
  /** Error 1015, rate limited: a rate limiting rule; answered with HTTP 429 and {@code Retry-After}. */
  public static final int RATE_LIMITED = 1015;

  private static final Outcome PLAIN_ALLOW = new Outcome(Action.ALLOW, true, Source.NONE, null, null, 0, null, null, 0,
      false, 0);

  private final Outcome outcome;
  private final ClientIp client;
  private final int threatScore;

  /**
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
  public Decision(Action action, boolean enforced, Source source, String ruleId, String description, int errorCode,
      String rayId, Instant time, ClientIp client, int threatScore, long retryAfterSeconds) {
    this(new Outcome(action, enforced, source, ruleId, description, errorCode, rayId, time, retryAfterSeconds,
        false, 0), client, threatScore);
  }

  private Decision(Outcome outcome, ClientIp client, int threatScore) {
    this.outcome = outcome;
    this.client = client;
    this.threatScore = threatScore;
  }

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
    return new Decision(PLAIN_ALLOW, client, threatScore);
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
    return new Decision(outcome, client, score);
  }

  /**
   * This decision, remembering the id of the visitor it was made for, so that {@link Gatehouse#visitorId}
   * answers from it instead of identifying the visitor again. The engine remembers it when deciding
   * checked the visitor's clearance cookie. Not part of {@link #equals}: it is known of the request, not
   * decided.
   *
   * @param visitorId the visitor's 64-bit id, which {@link Gatehouse#visitorId} writes as 16 hex digits
   */
  public Decision withVisitorId(long visitorId) {
    Outcome o = outcome;
    return new Decision(new Outcome(o.action, o.enforced, o.source, o.ruleId, o.description, o.errorCode, o.rayId,
        o.time, o.retryAfterSeconds, true, visitorId), client, threatScore);
  }

  /** Whether this decision remembers its visitor's id ({@link #withVisitorId}). */
  boolean knowsVisitorId() {
    return outcome.knowsVisitorId;
  }

  /** The visitor's id, when {@link #knowsVisitorId()}. */
  long visitorId() {
    return outcome.visitorId;
  }

  /** What to do with the request. */
  public Action action() {
    return outcome.action;
  }

  /**
   * Whether the caller must carry out {@link #action()}; false when {@code gatehouse.mode} (or a
   * configuration rule) says {@code simulate}, in which case the request goes through and the decision is
   * only recorded. Always true for {@link Action#ALLOW}.
   */
  public boolean enforced() {
    return outcome.enforced;
  }

  /** What produced the decision. */
  public Source source() {
    return outcome.source;
  }

  /** The id of the rule that decided, or {@code null}. */
  public String ruleId() {
    return outcome.ruleId;
  }

  /** A human-readable reason, or {@code null}. */
  public String description() {
    return outcome.description;
  }

  /**
   * The error code to render ({@link #ACCESS_DENIED}, {@link #COUNTRY_BANNED}, {@link #FIREWALL_RULE},
   * {@link #RATE_LIMITED}), or 0 for allow.
   */
  public int errorCode() {
    return outcome.errorCode;
  }

  /** The Ray ID, or {@code null} when nothing was recorded. */
  public String rayId() {
    return outcome.rayId;
  }

  /** When the decision was recorded, or {@code null} when nothing was. */
  public Instant time() {
    return outcome.time;
  }

  /** The client address and how it was derived. */
  public ClientIp client() {
    return client;
  }

  /** The client's threat score, 0..100, when it was computed; otherwise 0. */
  public int threatScore() {
    return threatScore;
  }

  /** For a rate limit ({@link #RATE_LIMITED}), when the client may try again, in seconds; otherwise 0. */
  public long retryAfterSeconds() {
    return outcome.retryAfterSeconds;
  }

  /** Whether the caller must refuse the request (block or challenge, enforced). */
  public boolean refuses() {
    return outcome.action != Action.ALLOW && outcome.enforced;
  }

  /** The error name for {@link #errorCode()}: {@code access_denied}, {@code country_banned}, ... */
  public String errorName() {
    return errorName(outcome.errorCode);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Decision d)) {
      return false;
    }
    Outcome a = outcome;
    Outcome b = d.outcome;
    return a.action == b.action && a.enforced == b.enforced && a.source == b.source
        && Objects.equals(a.ruleId, b.ruleId) && Objects.equals(a.description, b.description)
        && a.errorCode == b.errorCode && Objects.equals(a.rayId, b.rayId) && Objects.equals(a.time, b.time)
        && Objects.equals(client, d.client) && threatScore == d.threatScore
        && a.retryAfterSeconds == b.retryAfterSeconds;
  }

  @Override
  public int hashCode() {
    Outcome o = outcome;
    return Objects.hash(o.action, o.enforced, o.source, o.ruleId, o.description, o.errorCode, o.rayId, o.time, client,
        threatScore, o.retryAfterSeconds);
  }

  /** The properties, as a record would write them. */
  @Override
  public String toString() {
    Outcome o = outcome;
    return "Decision[action=" + o.action + ", enforced=" + o.enforced + ", source=" + o.source + ", ruleId="
        + o.ruleId + ", description=" + o.description + ", errorCode=" + o.errorCode + ", rayId=" + o.rayId
        + ", time=" + o.time + ", client=" + client + ", threatScore=" + threatScore + ", retryAfterSeconds="
        + o.retryAfterSeconds + "]";
  }

  /**
   * What decided and what was recorded of it, a decision's properties other than the client's, and the
   * visitor's id when it is known.
   */
  private static final class Outcome {
    final Action action;
    final boolean enforced;
    final Source source;
    final String ruleId;
    final String description;
    final int errorCode;
    final String rayId;
    final Instant time;
    final long retryAfterSeconds;
    final boolean knowsVisitorId;
    final long visitorId;

    Outcome(Action action, boolean enforced, Source source, String ruleId, String description, int errorCode,
        String rayId, Instant time, long retryAfterSeconds, boolean knowsVisitorId, long visitorId) {
      this.action = action;
      this.enforced = enforced;
      this.source = source;
      this.ruleId = ruleId;
      this.description = description;
      this.errorCode = errorCode;
      this.rayId = rayId;
      this.time = time;
      this.retryAfterSeconds = retryAfterSeconds;
      this.knowsVisitorId = knowsVisitorId;
      this.visitorId = visitorId;
    }
  }
}
