package io.gatehouse.core.engine;

import io.gatehouse.core.Source;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.policy.Policy;

/**
 * Counts evidence against the visitor who earned it: a rule match, an integrity-check failure, probing,
 * a failed challenge. Being refused is no evidence of its own, so nothing else counts. Evidence revokes
 * the visitor's clearance, if it holds one. Immutable and thread-safe.
 *
 * @param policy the policy whose points and trusted proxies apply
 * @param state where the evidence is kept
 */
record Evidence(Policy policy, Engine.State state) {

  /**
   * Counts evidence worth {@code source}'s points against the visitor of {@code ev}. The address is
   * charged too unless {@code alsoAddress} is false or the address is a trusted proxy's own, which must
   * never be scored as a whole.
   */
  void add(Evaluation ev, Source source, boolean alsoAddress) {
    int points = policy.reputation().pointsFor(source);
    if (points <= 0) {
      return;
    }
    IpAddress ip = ev.client.address();
    boolean address = alsoAddress && !policy.clientIpResolver().isTrusted(ip);
    Clearances.Clearance c = ev.clearance();
    if (c.check() == Clearances.Check.VALID) {
      // Before the points are kept, so that no reader sees a clearance's points without the flag.
      state.behaviour().noteClearanceEvidence();
    }
    state.behaviour().add(ip, ev.visitor(), points, address);
    ClusterLink cluster = state.cluster();
    if (cluster != null) {
      cluster.evidence(ip, ev.visitor(), points, address, c.check() == Clearances.Check.VALID);
    }
    if (c.check() == Clearances.Check.VALID) {
      state.challenges().revoke(c.visitorId(), policy.challenge().ttl());
      if (cluster != null) {
        cluster.revoked(c.visitorId(), policy.challenge().ttl());
      }
    }
  }
}
