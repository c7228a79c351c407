/**
 * The request path. {@link io.gatehouse.core.engine.Engine} is made once for each policy put in force
 * and judges requests by it:
 *
 * <pre>
 * RequestFacts -> ClientIpResolver -> Evaluation (lazy: geo, threat score, clearance, crawler claim)
 *   -> Pipeline: ConfigurationRulesStage -> AccessRulesStage -> CustomRulesStage
 *                -> BrowserIntegrityStage -> SecurityLevelStage
 *   -> Verdict -> Decision; EventRecorder records every mitigation and every log match
 * </pre>
 *
 * Each stage is built from the policy with what it needs and returns a {@code Verdict} or nothing; the
 * {@code Pipeline} runs them in order, lets a clearance satisfy a challenge, and names the phase of any
 * failure. Explain runs the same pipeline with a {@code Trace} listening. {@code ChallengeService}
 * issues and checks challenges. {@link io.gatehouse.core.engine.EngineState} is what outlives a policy:
 * clock and ticker, feeds, behaviour, redeemed tokens, the event log.
 */
package io.gatehouse.core.engine;
