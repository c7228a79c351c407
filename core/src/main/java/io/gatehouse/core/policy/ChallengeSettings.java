package io.gatehouse.core.policy;

import io.gatehouse.core.challenge.Clearances;
import java.time.Duration;

/**
 * The challenge part of a policy ({@code gatehouse.challenge.*}).
 *
 * @param clearances the signer, under the configured secret or the engine's random one
 * @param configuredSecret whether a secret was configured (instances then accept each other's clearances)
 * @param ttl how long a clearance lasts
 * @param difficulty leading zero bits the proof of work needs
 * @param path where the challenge page posts its solution
 */
public record ChallengeSettings(Clearances clearances, boolean configuredSecret, Duration ttl, int difficulty,
    String path) {}
