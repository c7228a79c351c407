package io.gatehouse.core.engine;

import io.gatehouse.core.Challenge;
import io.gatehouse.core.ClientIp;
import io.gatehouse.core.Decision;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.Source;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.policy.Policy.ChallengeSettings;
import io.gatehouse.core.policy.Policy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Issues challenges and checks their solutions. A token is signed, bound to the visitor (address and
 * User-Agent), redeemable once within {@link ChallengeState#TOKEN_LIFETIME}; a good solution buys a
 * clearance cookie. Both outcomes are recorded as events. Thread-safe.
 */
final class ChallengeService {

  private final Evidence evidence;
  private final Policy policy;
  private final ChallengeSettings settings;
  private final Clearances clearances;
  private final Engine.State state;

  ChallengeService(Evidence evidence, Policy policy, Engine.State state) {
    this.evidence = evidence;
    this.policy = policy;
    this.settings = policy.challenge();
    this.clearances = new Clearances(settings.secret());
    this.state = state;
  }

  /** The signer of this policy's tokens and clearances. */
  Clearances clearances() {
    return clearances;
  }

  Challenge issue(Decision decision, RequestFacts facts) {
    String token = clearances.issueToken(state.clock().instant(), settings.difficulty(),
        state.challenges().nonce(), Clearances.addressKey(decision.client().address()),
        Clearances.agentHash(facts.userAgent()), decision.rayId() == null ? "" : decision.rayId(),
        Clearances.returnPath(facts.uri()));
    return new Challenge(token, settings.difficulty(), settings.path(), decision.rayId());
  }

  /**
   * Checks a posted solution. The token must carry a good signature, be recent, unredeemed and issued to
   * this visitor, and the counter must solve it. Solved: a clearance cookie and the way back to where the
   * visitor was going; an event {@code challenge_solved} names both Ray IDs. Refused: an event
   * {@code challenge_failed} says why, and the visitor is sent back to be challenged afresh.
   */
  Challenge.Verdict verify(RequestFacts facts, String token, String counter, long solveMillis) {
    ClientIp client = policy.clientIpResolver().resolve(facts);
    String rayId = state.newRayId(policy.nodeId());
    Instant now = state.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    Clearances.Token t = clearances.readToken(token);
    long address = Clearances.addressKey(client.address());
    long agent = Clearances.agentHash(facts.userAgent());
    String reason = refusal(t, token, counter, now, address, agent);
    Evaluation ev = new Evaluation(facts, policy, state, clearances, client, null);
    String back = t == null ? "/" : Clearances.returnPath(t.returnPath());
    if (reason != null) {
      state.recorder().record(ev, SecurityEvent.Kind.CHALLENGE_FAILED, Source.CHALLENGE, "challenge", reason, 0, rayId,
          now, true);
      // Against the visitor that sent it, once per token, never against the address: garbage posted from
      // one device must not make its neighbours suspect.
      if (state.challenges().firstFailure(Clearances.hash(token))) {
        evidence.add(ev, Source.CHALLENGE, false);
      }
      return new Challenge.Verdict(false, back, null, settings.ttl(), rayId, reason);
    }
    // A fresh visitor id: the solver starts clean, told apart from whoever else shares its address.
    String clearance = clearances.mintClearance(now, settings.ttl(), address, agent,
        state.challenges().visitorId());
    String solved = "solved the challenge issued with Ray ID " + t.issuingRayId() + " (difficulty " + t.difficulty()
        + (solveMillis > 0 ? ", " + solveMillis + " ms in the browser" : "") + ")";
    state.recorder().record(ev, SecurityEvent.Kind.CHALLENGE_SOLVED, Source.CHALLENGE, t.issuingRayId(), solved, 0,
        rayId, now, true);
    return new Challenge.Verdict(true, back, clearance, settings.ttl(), rayId, null);
  }

  /** Why a solution is refused, or {@code null} when it is good (and the token is now redeemed). */
  private String refusal(Clearances.Token t, String token, String counter, Instant now, long address, long agent) {
    if (t == null) {
      return "the token is malformed or its signature is wrong";
    }
    if (now.isAfter(t.issuedAt().plus(ChallengeState.TOKEN_LIFETIME)) || t.issuedAt().isAfter(now.plusSeconds(60))) {
      return "the token has expired";
    }
    if (t.addressKey() != address) {
      return "the token was issued to another address";
    }
    if (t.agentHash() != agent) {
      return "the token was issued to another browser (User-Agent)";
    }
    if (!Challenge.solves(token, counter, t.difficulty())) {
      return "the proof of work does not solve the token";
    }
    if (!state.challenges().redeem(t.nonce())) {
      return "the token was already redeemed";
    }
    ClusterLink cluster = state.cluster();
    if (cluster != null && !cluster.claim(t.nonce(), ChallengeState.TOKEN_LIFETIME.plusSeconds(60))) {
      return "the token was already redeemed on another instance";
    }
    return null;
  }
}
