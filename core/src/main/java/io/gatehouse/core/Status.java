package io.gatehouse.core;

import io.gatehouse.core.reputation.FeedRegistry;
import java.time.Instant;
import java.util.List;

/**
 * What the engine is running with now: the configuration in force, its sizes and sources, and the state
 * of the parts that outlive a configuration. A snapshot, made by {@link Gatehouse#status()}; for admin
 * pages and health checks.
 *
 * @param version the Gatehouse version
 * @param configuration where the configuration came from
 * @param loadedAt when the configuration in force was compiled
 * @param summary a one-line summary of it
 * @param mode {@code gatehouse.mode}
 * @param securityLevel {@code gatehouse.security-level}
 * @param nodeId {@code gatehouse.node-id}, or the empty string
 * @param accessRules how many IP Access Rules are loaded
 * @param accessRulesFile {@code gatehouse.access-rules.file}, or the empty string
 * @param geo what AS and country data is loaded, or {@code none}
 * @param clientIp how the client address is found
 * @param challengeSecretConfigured whether a challenge secret is configured (instances then accept each
 *     other's clearances)
 * @param feeds each reputation feed's state
 * @param eventsHeld security events held in memory
 * @param eventsCapacity how many it holds at most
 * @param eventsRecorded events recorded since start
 * @param trackedAddresses addresses whose behaviour is tracked (an estimate)
 * @param internalFailures internal failures since start
 * @param lastReload the last reload's outcome, or {@code null} when there was none since start
 */
public record Status(String version, String configuration, Instant loadedAt, String summary, Mode mode,
    String securityLevel, String nodeId, int accessRules, String accessRulesFile, String geo, String clientIp,
    boolean challengeSecretConfigured, List<FeedRegistry.Status> feeds, int eventsHeld, int eventsCapacity,
    long eventsRecorded, long trackedAddresses, long internalFailures, ReloadResult lastReload) {

  public Status {
    feeds = List.copyOf(feeds);
  }
}
