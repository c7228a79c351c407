package io.gatehouse.core;

import java.time.Duration;

/**
 * The outcome of a posted challenge solution.
 *
 * @param solved whether it was accepted
 * @param redirect the same-site path to send the visitor to: where they were going, or {@code /}
 * @param clearance the clearance cookie value when solved, else {@code null}
 * @param maxAge how long the clearance lasts
 * @param rayId the Ray ID of the verification request
 * @param reason why it was refused, or {@code null}
 */
public record ChallengeVerdict(boolean solved, String redirect, String clearance, Duration maxAge, String rayId,
    String reason) {}
