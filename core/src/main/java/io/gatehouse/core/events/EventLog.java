package io.gatehouse.core.events;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The most recent security events, at most {@code capacity} of them; the oldest give way.
 *
 * <p>Thread-safe. Appends take a short lock; they happen on mitigations, not on every request.
 */
public final class EventLog {

  private SecurityEvent[] ring;
  private int next;
  private int size;
  private long appended;

  /**
   * A filter over the event log; {@code null} fields match everything.
   *
   * @param network client addresses to match (a single address is a host network)
   * @param rayId an exact Ray ID
   * @param action an exact action ({@code block}, ...)
   * @param source an exact source ({@code access_rules}, ...)
   * @param since only events at or after this time
   * @param limit at most this many events, newest first
   */
  public record Query(Cidr network, String rayId, String action, String source, Instant since, int limit) {

    public Query {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, not " + limit);
      }
    }

    /** Every event, newest first, up to {@code limit}. */
    public static Query all(int limit) {
      return new Query(null, null, null, null, null, limit);
    }

    boolean matches(SecurityEvent e) {
      if (rayId != null && !rayId.equals(e.rayId())) {
        return false;
      }
      if (action != null && !action.equals(e.action().id())) {
        return false;
      }
      if (source != null && !source.equals(e.source().id())) {
        return false;
      }
      if (since != null && e.time().isBefore(since)) {
        return false;
      }
      if (network != null) {
        IpAddress ip = IpAddress.tryParse(e.clientIp());
        return ip != null && network.contains(ip);
      }
      return true;
    }
  }

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
  public record Stats(Instant since, Duration bucket, List<Bucket> buckets, Map<String, Integer> byAction,
      Map<String, Integer> bySource, List<Count> topIps, List<Count> topAsns, List<Count> topPaths, int total) {

    /** One time bucket. */
    public record Bucket(Instant start, Map<String, Integer> byAction) {}

    /** A value and how often it appeared. */
    public record Count(String value, int count) {}

    /** Adds up {@code events} (newest first, as the log returns them) from {@code since} on. */
    public static Stats of(List<SecurityEvent> events, Instant since, Instant now, Duration bucket, int top) {
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
        if (!isChallengeSubmission(e)) {
          paths.merge(e.path(), 1, Integer::sum);
        }
      }
      List<Bucket> buckets = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        buckets.add(new Bucket(since.plus(bucket.multipliedBy(i)), perBucket.get(i)));
      }
      return new Stats(since, bucket, buckets, byAction, bySource, top(ips, top), top(asns, top), top(paths, top),
          total);
    }

    private static List<Count> top(Map<String, Integer> counts, int top) {
      return counts.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
              .thenComparing(Map.Entry.comparingByKey()))
          .limit(top).map(e -> new Count(e.getKey(), e.getValue())).toList();
    }
  }

  public EventLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    this.ring = new SecurityEvent[capacity];
  }

  public synchronized void append(SecurityEvent event) {
    ring[next] = event;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
    appended++;
  }

  /** Events matching {@code query}, newest first. */
  public synchronized List<SecurityEvent> query(Query query) {
    List<SecurityEvent> out = new ArrayList<>(Math.min(query.limit(), size));
    for (int i = 1; i <= size && out.size() < query.limit(); i++) {
      SecurityEvent e = ring[Math.floorMod(next - i, ring.length)];
      if (query.matches(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * A solution posted to the challenge path: its path says where the challenge lives, not what visitors
   * wanted, so it is no top path. (A rejected clearance cookie is a failure on the path asked for.)
   */
  private static boolean isChallengeSubmission(SecurityEvent e) {
    return e.action() == SecurityEvent.Kind.CHALLENGE_SOLVED
        || e.action() == SecurityEvent.Kind.CHALLENGE_FAILED && "POST".equalsIgnoreCase(e.method());
  }

  /**
   * The event recorded for a Ray ID: the mitigation if there was one, else the newest event with that
   * Ray ID (a request matched by several {@code log} rules has several).
   */
  public synchronized Optional<SecurityEvent> findByRay(String rayId) {
    SecurityEvent found = null;
    for (int i = 1; i <= size; i++) {
      SecurityEvent e = ring[Math.floorMod(next - i, ring.length)];
      if (e.rayId().equals(rayId)) {
        if (e.action() != SecurityEvent.Kind.LOG) {
          return Optional.of(e);
        }
        if (found == null) {
          found = e;
        }
      }
    }
    return Optional.ofNullable(found);
  }

  /** Statistics over the events since {@code since}, in buckets of {@code bucket}, with the top {@code top}. */
  public Stats stats(Instant since, Instant now, Duration bucket, int top) {
    return Stats.of(query(new Query(null, null, null, null, since, Math.max(1, capacity()))), since, now,
        bucket, top);
  }

  /** The number of events held now. */
  public synchronized int size() {
    return size;
  }

  /** The number of events held at most. */
  public synchronized int capacity() {
    return ring.length;
  }

  /** The number of events ever appended, including those that have given way. */
  public synchronized long appended() {
    return appended;
  }

  /** Changes the capacity, keeping the newest events that fit. */
  public synchronized void resize(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    if (capacity == ring.length) {
      return;
    }
    int keep = Math.min(size, capacity);
    SecurityEvent[] fresh = new SecurityEvent[capacity];
    for (int i = 0; i < keep; i++) {
      fresh[keep - 1 - i] = ring[Math.floorMod(next - 1 - i, ring.length)];
    }
    ring = fresh;
    size = keep;
    next = keep % capacity;
  }
}
