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
 */
package io.gatehouse.core.engine;
