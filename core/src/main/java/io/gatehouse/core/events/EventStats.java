package io.gatehouse.core.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the recent events add up to, for the dashboard: events over time, counts by action and source,
 * and the addresses, AS numbers and paths that appear most.
 *
 * @param since the start of the period
 * @param bucket the width of each time bucket
 * @param buckets per bucket from {@code since}: its start and its events by action
 * @param byAction event counts by action
 * @param bySource event counts by source
 * @param topIps the most frequent client addresses and their counts
 * @param topAsns the most frequent AS numbers (as "AS64496 Organisation") and their counts
 * @param topPaths the most frequent paths and their counts
 * @param total events in the period
 */
public record EventStats(Instant since, Duration bucket, List<Bucket> buckets, Map<String, Integer> byAction,
    Map<String, Integer> bySource, List<Count> topIps, List<Count> topAsns, List<Count> topPaths, int total) {

  /** One time bucket. */
  public record Bucket(Instant start, Map<String, Integer> byAction) {}

  /** A value and how often it appeared. */
  public record Count(String value, int count) {}

  /** Adds up {@code events} (newest first, as the log returns them) from {@code since} on. */
  public static EventStats of(List<SecurityEvent> events, Instant since, Instant now, Duration bucket, int top) {
    int n = (int) Math.max(1, Math.min(1_000, (Duration.between(since, now).toMillis() + bucket.toMillis() - 1)
        / Math.max(1, bucket.toMillis())));
    List<Map<String, Integer>> perBucket = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      perBucket.add(new LinkedHashMap<>());
    }
    Map<String, Integer> byAction = new LinkedHashMap<>();
    Map<String, Integer> bySource = new LinkedHashMap<>();
    Map<String, Integer> ips = new HashMap<>();
    Map<String, Integer> asns = new HashMap<>();
    Map<String, Integer> paths = new HashMap<>();
    int total = 0;
    for (SecurityEvent e : events) {
      if (e.time().isBefore(since)) {
        continue;
      }
      total++;
      int i = (int) Math.min(n - 1, Duration.between(since, e.time()).toMillis() / Math.max(1, bucket.toMillis()));
      perBucket.get(i).merge(e.action().id(), 1, Integer::sum);
      byAction.merge(e.action().id(), 1, Integer::sum);
      bySource.merge(e.source().id(), 1, Integer::sum);
      ips.merge(e.clientIp(), 1, Integer::sum);
      if (e.asn() > 0) {
        asns.merge("AS" + e.asn() + (e.asOrganization().isEmpty() ? "" : " " + e.asOrganization()), 1, Integer::sum);
      }
      paths.merge(e.path(), 1, Integer::sum);
    }
    List<Bucket> buckets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      buckets.add(new Bucket(since.plus(bucket.multipliedBy(i)), perBucket.get(i)));
    }
    return new EventStats(since, bucket, buckets, byAction, bySource, top(ips, top), top(asns, top), top(paths, top),
        total);
  }

  private static List<Count> top(Map<String, Integer> counts, int top) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .limit(top).map(e -> new Count(e.getKey(), e.getValue())).toList();
  }
}
