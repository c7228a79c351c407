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
 * The most recent security events, at most {@code capacity} of them and at most {@code maxBytes} of heap
 * by their estimated size; the oldest give way to either bound. The count alone would not bound memory:
 * an event's free-text fields are capped at 1,024 characters each, which Java keeps in up to 2 KiB, so ten
 * thousand maximal events would hold some 130 MB, while ordinary ones take under a kilobyte. The
 * newest event is always kept, whatever its size.
 *
 * <h2>Layout and costs</h2>
 * A ring of events with each one's estimated size alongside ({@code EventSize}: the record, its strings
 * as Java holds them, Latin-1 or UTF-16), so that giving way costs a subtraction. The ring grows by
 * doubling up to {@code capacity} as events arrive, and its two arrays (8 bytes a slot with compressed
 * references) count towards {@code maxBytes} too; a log bounded by bytes long before its count never
 * allocates slots it cannot fill. Estimating an event reads its strings once, before the lock.
 *
 * <p>Thread-safe. Appends take a short lock; they happen on mitigations, not on every request.
 */
public final class EventLog {

  /** The slots the ring starts with, or the capacity when it is smaller. */
  private static final int INITIAL_SLOTS = 64;

  private SecurityEvent[] ring;
  private int[] sizes;
  private int oldest;
  private int size;
  private int capacity;
  private long maxBytes;
  private long eventBytes;
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

  /**
   * @param capacity the most events kept
   * @param maxBytes the most heap the events and the log's own arrays may take, estimated
   */
  public EventLog(int capacity, long maxBytes) {
    check(capacity, maxBytes);
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.ring = new SecurityEvent[Math.min(capacity, INITIAL_SLOTS)];
    this.sizes = new int[ring.length];
  }

  private static void check(int capacity, long maxBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1, not " + maxBytes);
    }
  }

  public void append(SecurityEvent event) {
    int cost = EventSize.of(event);
    synchronized (this) {
      while (size > 0 && (size == capacity || eventBytes + cost + slotBytes(slotsFor(size + 1)) > maxBytes)) {
        dropOldest();
      }
      if (size == ring.length) {
        reslot(slotsFor(size + 1));
      }
      int slot = slot(size);
      ring[slot] = event;
      sizes[slot] = cost;
      size++;
      eventBytes += cost;
      appended++;
    }
  }

  /** The slots the ring needs for {@code events}: as many as it has, or twice that up to the capacity. */
  private int slotsFor(int events) {
    return events <= ring.length ? ring.length : Math.min(capacity, 2 * ring.length);
  }

  /** The ring slot of the {@code i}th oldest event. */
  private int slot(int i) {
    int s = oldest + i;
    return s >= ring.length ? s - ring.length : s;
  }

  private void dropOldest() {
    eventBytes -= sizes[oldest];
    ring[oldest] = null;
    sizes[oldest] = 0;
    oldest = slot(1);
    size--;
  }

  /** Moves the events held into arrays of {@code slots}, oldest first. */
  private void reslot(int slots) {
    SecurityEvent[] freshRing = new SecurityEvent[slots];
    int[] freshSizes = new int[slots];
    for (int i = 0; i < size; i++) {
      freshRing[i] = ring[slot(i)];
      freshSizes[i] = sizes[slot(i)];
    }
    ring = freshRing;
    sizes = freshSizes;
    oldest = 0;
  }

  /** What the ring's two arrays of {@code slots} take: a reference and an {@code int} a slot. */
  private static long slotBytes(int slots) {
    return EventSize.array(slots, EventSize.REFERENCE) + EventSize.array(slots, Integer.BYTES);
  }

  /** Events matching {@code query}, newest first. */
  public synchronized List<SecurityEvent> query(Query query) {
    List<SecurityEvent> out = new ArrayList<>(Math.min(query.limit(), size));
    for (int i = size - 1; i >= 0 && out.size() < query.limit(); i--) {
      SecurityEvent e = ring[slot(i)];
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
    for (int i = size - 1; i >= 0; i--) {
      SecurityEvent e = ring[slot(i)];
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
    return capacity;
  }

  /** The heap the events held and the log's arrays take now, estimated; at most {@link #maxBytes()}. */
  public synchronized long bytes() {
    return eventBytes + slotBytes(ring.length);
  }

  /** The heap the log may take at most, estimated. */
  public synchronized long maxBytes() {
    return maxBytes;
  }

  /** The number of events ever appended, including those that have given way. */
  public synchronized long appended() {
    return appended;
  }

  /** Changes both bounds, keeping the newest events that fit. */
  public synchronized void resize(int capacity, long maxBytes) {
    check(capacity, maxBytes);
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    while (size > capacity) {
      dropOldest();
    }
    while (size > 1 && eventBytes + slotBytes(fitted()) > maxBytes) {
      dropOldest();
    }
    if (fitted() != ring.length) {
      reslot(fitted());
    }
  }

  /** The slots a ring fitted to the events held needs. */
  private int fitted() {
    return Math.min(capacity, Math.max(size, INITIAL_SLOTS));
  }
}
