package io.gatehouse.core.engine;

import io.gatehouse.core.Action;
import io.gatehouse.core.ErrorCodes;
import io.gatehouse.core.Phase;
import io.gatehouse.core.Source;
import io.gatehouse.core.policy.Policy.ReputationSettings;
import io.gatehouse.core.reputation.FeedHit;
import io.gatehouse.core.reputation.SecurityLevel;

/**
 * The Security Level phase: a client whose threat score is above the level's threshold is blocked or
 * challenged, and under attack every visitor is challenged. A shared address (carrier-grade NAT, a
 * configured office or campus egress) gets {@code gatehouse.shared-ip.action} instead, challenge by
 * default, so the good visitors behind a poisoned address can still get through.
 */
final class SecurityLevelStage extends Stage {

  private final ReputationSettings reputation;

  SecurityLevelStage(ReputationSettings reputation) {
    super(Phase.SECURITY_LEVEL);
    this.reputation = reputation;
  }

  @Override
  Verdict evaluate(Evaluation ev) {
    SecurityLevel level = ev.securityLevel;
    if (level == SecurityLevel.OFF) {
      ev.note(phase(), "security level off");
      return null;
    }
    if (ev.verifiedBot()) {
      ev.note(phase(), "verified crawler: the Security Level does not apply");
      return null;
    }
    if (level == SecurityLevel.UNDER_ATTACK) {
      return Verdict.challenge(Source.SECURITY_LEVEL, level.id(),
          "under attack: every visitor without clearance is challenged", ErrorCodes.ACCESS_DENIED);
    }
    int score = ev.threatScore();
    if (score <= level.threshold()) {
      if (ev.tracing()) {
        ev.note(phase(), "threat score " + score + " is within the " + level.id() + " level's " + level.threshold());
      }
      return null;
    }
    boolean shared = ev.shared();
    Action action = shared ? reputation.sharedAction() : ev.securityLevelAction;
    StringBuilder why = new StringBuilder("threat score ").append(score).append(" is above the ")
        .append(level.id()).append(" security level (").append(level.threshold()).append("): ");
    FeedHit hit = ev.feedHit();
    if (hit != null) {
      why.append("listed by ").append(hit);
    }
    int behaviour = ev.behaviourScore();
    if (behaviour > 0) {
      why.append(hit != null ? ", " : "").append("behaviour ").append(behaviour);
    }
    if (shared) {
      why.append("; shared address, so ").append(action.id());
    }
    ev.note(phase(), why.toString());
    return new Verdict(action, Source.SECURITY_LEVEL, level.id(), why.toString(), ErrorCodes.ACCESS_DENIED, true);
  }
}
