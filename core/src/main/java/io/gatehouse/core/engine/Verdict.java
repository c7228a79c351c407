package io.gatehouse.core.engine;

import io.gatehouse.core.Action;
import io.gatehouse.core.ClientIp;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Source;
import java.time.Instant;

/**
 * What one phase concluded about a request.
 *
 * @param action allow, block or challenge
 * @param source what concluded
 * @param ruleId the rule's id, or {@code ""}
 * @param description why
 * @param errorCode the error code to render for block and challenge, 0 for allow
 * @param ends whether the verdict ends evaluation; an allow that does not (a country allow) is kept as
 *     the reason of the decision while the remaining phases run
 * @param retryAfterSeconds for a rate limit, when the client may try again; otherwise 0
 */
record Verdict(Action action, Source source, String ruleId, String description, int errorCode, boolean ends,
    long retryAfterSeconds) {

  static Verdict block(Source source, String ruleId, String description, int errorCode) {
    return new Verdict(Action.BLOCK, source, ruleId, description, errorCode, true, 0);
  }

  static Verdict challenge(Source source, String ruleId, String description, int errorCode) {
    return new Verdict(Action.CHALLENGE, source, ruleId, description, errorCode, true, 0);
  }

  static Verdict allow(Source source, String ruleId, String description) {
    return new Verdict(Action.ALLOW, source, ruleId, description, 0, true, 0);
  }

  /** An allow that lets the remaining phases run. */
  static Verdict allowAndGoOn(Source source, String ruleId, String description) {
    return new Verdict(Action.ALLOW, source, ruleId, description, 0, false, 0);
  }

  /** A rate limiting rule's refusal: {@code action} is block or challenge; error 1015 either way. */
  static Verdict rateLimited(Action action, String ruleId, String description, long retryAfterSeconds) {
    return new Verdict(action, Source.RATE_LIMITING, ruleId, description, Decision.RATE_LIMITED, true,
        Math.max(1, retryAfterSeconds));
  }

  boolean refuses() {
    return action != Action.ALLOW;
  }

  /** The decision this verdict makes, recorded under {@code rayId} (or not recorded: {@code null}). */
  Decision decision(boolean enforced, String rayId, Instant time, ClientIp client, int threatScore) {
    boolean refuses = refuses();
    return new Decision(action, !refuses || enforced, source, ruleId, description, refuses ? errorCode : 0, rayId,
        time, client, threatScore, refuses ? retryAfterSeconds : 0);
  }
}
