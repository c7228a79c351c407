package io.gatehouse.core.policy;

import io.gatehouse.core.Action;
import io.gatehouse.core.Source;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.reputation.FeedSpec;
import io.gatehouse.core.reputation.SecurityLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The reputation and Security Level part of a policy ({@code gatehouse.reputation.*},
 * {@code gatehouse.shared-ip.*}, {@code gatehouse.security-level*}).
 *
 * @param feeds the configured feeds
 * @param cacheDir where fetched feeds are kept
 * @param fetchTimeout how long a feed fetch may take
 * @param halfLife how fast behaviour points decay
 * @param maxTracked how many addresses' behaviour is kept
 * @param points the points each source adds to the address's behaviour: a mitigation by a phase, a
 *     failed challenge, probing (many 403/404 on distinct paths)
 * @param probePaths how many distinct paths count as probing
 * @param probeWindow within how long
 * @param sharedRanges shared egress addresses (carrier-grade NAT and configured ranges)
 * @param sharedAction what a reputation outcome does to a shared address
 * @param securityLevel the default level
 * @param securityLevelAction what a score over the level does
 */
public record ReputationSettings(List<FeedSpec> feeds, Path cacheDir, Duration fetchTimeout, Duration halfLife,
    int maxTracked, Map<Source, Integer> points, int probePaths, Duration probeWindow,
    IntervalIndex<Boolean> sharedRanges, Action sharedAction, SecurityLevel securityLevel,
    Action securityLevelAction) {

  public ReputationSettings {
    feeds = List.copyOf(feeds);
    points = Map.copyOf(points);
  }

  /** Whether the address is a known shared egress. */
  public boolean isShared(IpAddress ip) {
    return ip != null && sharedRanges.get(ip) != null;
  }

  /** The behaviour points a mitigation by {@code source} is worth. */
  public int pointsFor(Source source) {
    return points.getOrDefault(source, 0);
  }
}
