package io.gatehouse.core.engine;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Phase;
import io.gatehouse.core.Source;
import io.gatehouse.core.policy.Policy.ReputationSettings;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SecurityLevel;

/**
 * The Security Level phase: a visitor whose threat score is above the level's threshold is mitigated,
 * and under attack every visitor is challenged. What the mitigation is depends on whose evidence put the
 * score over, so that nobody is hard-blocked for someone else's behaviour:
 * <ul>
 *   <li>the visitor's own behaviour alone: {@code gatehouse.security-level.action} (challenge by default);
 *   <li>a feed listing the address, alone: the feed's {@code action}, or for a shared address
 *       {@code gatehouse.shared-ip.action}, or the level's action;
 *   <li>otherwise, the address's score (evidence spread over several visitors) with the rest: a challenge,
 *       never a block.
 * </ul>
 * The strongest of these applies. A valid clearance satisfies a challenge (the pipeline sees to that).
 */
final class SecurityLevelStage extends Stage {

  private final ReputationSettings reputation;

  SecurityLevelStage(ReputationSettings reputation) {
    super(Phase.SECURITY_LEVEL);
    this.reputation = reputation;
  }

  @Override
  Verdict evaluate(Evaluation ev) {
    SecurityLevel level = ev.securityLevel();
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
          "under attack: every visitor without clearance is challenged", Decision.ACCESS_DENIED);
    }
    int score = ev.threatScore();
    int threshold = level.threshold();
    if (ev.tracing()) {
      ev.note(phase(), "visitor score " + ev.visitorScore() + ", address score " + ev.addressScore()
          + (ev.feedHit() == null ? "" : ", feeds " + ev.feedHit()) + (ev.shared() ? "; shared address ("
          + ev.sharedHow() + ")" : ""));
    }
    if (score <= threshold) {
      if (ev.tracing()) {
        ev.note(phase(), "threat score " + score + " is within the " + level.id() + " level's " + threshold);
      }
      return null;
    }
    boolean shared = ev.shared();
    // Whose evidence decides: the strongest mitigation any one of them calls for.
    Action action = Action.CHALLENGE;
    String by = "address";
    FeedRegistry.Hit hit = ev.feedHit();
    if (hit != null) {
      for (FeedRegistry.Hit.Listing l : hit.listings()) {
        if (l.score() > threshold) {
          by = "feed";
          if (reputation.feedAction(l.feed(), shared, ev.securityLevelAction()) == Action.BLOCK) {
            action = Action.BLOCK;
          }
        }
      }
    }
    if (ev.visitorScore() > threshold && (action != Action.BLOCK || ev.securityLevelAction() == Action.BLOCK)) {
      by = "visitor";
      if (ev.securityLevelAction() == Action.BLOCK) {
        action = Action.BLOCK;
      }
    }
    StringBuilder why = new StringBuilder("threat score ").append(score).append(" is above the ")
        .append(level.id()).append(" security level (").append(threshold).append("): ");
    if (hit != null) {
      why.append("listed by ").append(hit);
    }
    if (ev.addressScore() > 0) {
      why.append(hit != null ? ", " : "").append("address behaviour ").append(ev.addressScore());
    }
    if (ev.visitorScore() > 0) {
      why.append(hit != null || ev.addressScore() > 0 ? ", " : "").append("visitor behaviour ")
          .append(ev.visitorScore());
    }
    why.append("; ").append(by.equals("visitor") ? Engine.DECIDED_BY_VISITOR : "decided by the " + by + "'s score");
    if (shared) {
      why.append("; shared address (").append(ev.sharedHow()).append(")");
    }
    ev.note(phase(), why.toString());
    return new Verdict(action, Source.SECURITY_LEVEL, level.id(), why.toString(), Decision.ACCESS_DENIED, true, 0);
  }
}
