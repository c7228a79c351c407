/**
 * The request path. {@link io.gatehouse.core.engine.Engine} is made once for each policy put in force
 * and judges requests by it:
 *
 * <pre>
 * RequestFacts -> ClientIpResolver -> Evaluation (lazy: geo, threat score, clearance, crawler claim)
 *   -> Pipeline: ConfigurationRulesStage -> AccessRulesStage -> CustomRulesStage
 *                -> RateLimitStage (counters in RateCounters) -> BrowserIntegrityStage -> SecurityLevelStage
 *   -> Verdict -> Decision; EventRecorder records every mitigation and every log match
 * </pre>
 *
 * Each stage is built from the policy with what it needs and returns a {@code Verdict} or nothing; the
 * {@code Pipeline} runs them in order, lets a clearance satisfy a challenge, and names the phase of any
 * failure. Explain runs the same pipeline with a {@code Trace} listening.
 *
 * <p>The challenge lives here too, since only the request path may issue or honour it:
 * {@code ChallengeService} issues and checks challenges; {@code Clearances} signs and reads the tokens and
 * the clearance cookie (HMAC-SHA256 under the policy's secret; nothing outside this package can mint
 * one); {@code ChallengeState} remembers redeemed tokens and revoked clearances.
 * {@link io.gatehouse.core.engine.Engine.State} is what outlives a policy: clock and ticker, feeds,
 * behaviour, the challenge's state, the event log.
 *
 * <p>The cluster lives here as well, as the state it shares is the request path's:
 * {@link io.gatehouse.core.engine.Engine.StateStore} is the seam to a store several instances reach
 * ({@code MemoryStore} in one process; {@code gatehouse-redis} on Redis); {@code ClusterLink} queues what
 * requests produce and sends it from a thread of its own, and applies what the others send, parsed by
 * {@code ClusterCodec}; {@code RuleSync} keeps the managed access rules in step and {@code RateSync} the
 * rate limiting counters.
 */
package io.gatehouse.core.engine;
