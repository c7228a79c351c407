package io.gatehouse.core;

import io.gatehouse.core.challenge.ChallengeState;
import io.gatehouse.core.reputation.BehaviourTracker;
import io.gatehouse.core.reputation.FeedRegistry;
import java.time.Clock;

/**
 * The engine's long-lived, mutable parts that outlive any one policy: the live feeds and what addresses
 * have been doing. Each is bounded and thread-safe; evaluations read them, and only the engine writes.
 *
 * @param clock the engine's clock
 * @param feeds the reputation feeds
 * @param behaviour the behaviour tracker
 * @param challenges the random fallback secret and the redeemed challenge tokens
 * @param verifiers the crawler verifier, kept across reloads that do not change it
 */
record Services(Clock clock, FeedRegistry feeds, BehaviourTracker behaviour, ChallengeState challenges,
    Verifiers verifiers) {}
