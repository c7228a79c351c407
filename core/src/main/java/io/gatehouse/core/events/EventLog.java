package io.gatehouse.core.events;

import java.util.ArrayList;
import java.util.List;
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
  public synchronized List<SecurityEvent> query(EventQuery query) {
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
  public EventStats stats(java.time.Instant since, java.time.Instant now, java.time.Duration bucket, int top) {
    return EventStats.of(query(new EventQuery(null, null, null, null, since, Math.max(1, capacity()))), since, now,
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
