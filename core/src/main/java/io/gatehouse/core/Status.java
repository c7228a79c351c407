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
 * @param cluster how this instance shares its state with others ({@link Cluster#OFF} when it does not)
 */
public record Status(String version, String configuration, Instant loadedAt, String summary, Mode mode,
    String securityLevel, String nodeId, int accessRules, String accessRulesFile, String geo, String clientIp,
    boolean challengeSecretConfigured, List<FeedRegistry.Status> feeds, int eventsHeld, int eventsCapacity,
    long eventsRecorded, long trackedAddresses, long internalFailures, ReloadResult lastReload, Cluster cluster) {

  public Status {
    feeds = List.copyOf(feeds);
  }

  /**
   * The cluster's health as this instance sees it.
   *
   * @param state {@code off} (no store), {@code connecting}, {@code up} or {@code down}
   * @param store the store ({@code redis://host:6379/0}, never with a password), or the empty string
   * @param name the cluster's name, its key prefix in the store
   * @param nodeId the node id in this instance's Ray IDs
   * @param since when the state last changed, or {@code null}
   * @param lastError what failed last, or the empty string
   * @param queued events and messages waiting to be sent
   * @param dropped events and messages dropped since start: the queues were full, or a send failed
   * @param sent events and messages sent since start
   * @param received messages received from other instances since start
   * @param skipped entries read from the store that could not be used (corrupt) since start
   * @param pendingRuleChanges rule changes made here that the store has not taken yet
   * @param lastRuleSync when the rules were last compared with the store's, or {@code null}
   */
  public record Cluster(String state, String store, String name, String nodeId, Instant since, String lastError,
      long queued, long dropped, long sent, long received, long skipped, int pendingRuleChanges, Instant lastRuleSync) {

    /** No cluster: the instance keeps its state to itself. */
    public static final Cluster OFF = new Cluster("off", "", "", "", null, "", 0, 0, 0, 0, 0, 0, null);

    /** Whether the store can be reached, or there is none: nothing is degraded. */
    public boolean healthy() {
      return state.equals("off") || state.equals("up");
    }
  }
}
