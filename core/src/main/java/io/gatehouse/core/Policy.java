package io.gatehouse.core;

import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.rules.AccessRules;
import java.time.Instant;
import java.util.List;

/**
 * Everything requests are judged by, compiled from one configuration: settings, rule sets and the
 * pipeline of stages. A reload compiles a new policy and swaps it in whole, so every request is judged
 * by exactly one configuration, never by half of one.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Policy {

  private final ConfigSource source;
  private final Instant loadedAt;
  private final Mode mode;
  private final FailMode failMode;
  private final String nodeId;
  private final ClientIpResolver clientIpResolver;
  private final AccessRules accessRules;
  private final PageSettings pageSettings;
  private final int eventsCapacity;
  private final Stage[] stages;

  Policy(ConfigSource source, Instant loadedAt, Mode mode, FailMode failMode, String nodeId,
      ClientIpResolver clientIpResolver, AccessRules accessRules, PageSettings pageSettings, int eventsCapacity, List<Stage> stages) {
    this.source = source;
    this.loadedAt = loadedAt;
    this.mode = mode;
    this.failMode = failMode;
    this.nodeId = nodeId;
    this.clientIpResolver = clientIpResolver;
    this.accessRules = accessRules;
    this.pageSettings = pageSettings;
    this.eventsCapacity = eventsCapacity;
    this.stages = stages.toArray(new Stage[0]);
  }

  /** Where this policy's configuration came from. */
  public ConfigSource source() {
    return source;
  }

  /** When this policy was compiled. */
  public Instant loadedAt() {
    return loadedAt;
  }

  /** {@code gatehouse.mode}: whether mitigations are carried out. */
  public Mode mode() {
    return mode;
  }

  /** {@code gatehouse.on-error}: what an internal failure does. */
  public FailMode failMode() {
    return failMode;
  }

  /** {@code gatehouse.node-id}, or the empty string. */
  public String nodeId() {
    return nodeId;
  }

  /** How the client address is found ({@code gatehouse.client-ip.*}). */
  public ClientIpResolver clientIpResolver() {
    return clientIpResolver;
  }

  /** The IP Access Rules. */
  public AccessRules accessRules() {
    return accessRules;
  }

  /** What error pages show. */
  public PageSettings pageSettings() {
    return pageSettings;
  }

  /** {@code gatehouse.events.capacity}. */
  public int eventsCapacity() {
    return eventsCapacity;
  }

  /** The phases this policy runs, in order. */
  public List<Phase> phases() {
    return java.util.Arrays.stream(stages).map(Stage::phase).toList();
  }

  Stage[] stages() {
    return stages;
  }

  /** A one-line summary for logs and status. */
  public String summary() {
    int rules = accessRules.size();
    return (rules == 1 ? "1 access rule" : rules + " access rules") + ", mode "
        + mode.name().toLowerCase(java.util.Locale.ROOT);
  }
}
