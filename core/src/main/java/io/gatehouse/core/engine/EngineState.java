package io.gatehouse.core.engine;

import io.gatehouse.core.challenge.ChallengeState;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.reputation.BehaviourTracker;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SharedAddresses;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the engine keeps across policies: the clock and the monotonic ticker, the live feeds, what
 * visitors have been doing, which addresses are shared, the challenge's tokens and revocations, the event
 * log, and the count of internal failures. Each part is bounded and thread-safe; one state serves every {@link Engine} made over the
 * life of a {@code Gatehouse}.
 */
public final class EngineState {

  private final Clock clock;
  private final LongSupplier ticker;
  private final FeedRegistry feeds;
  private final BehaviourTracker behaviour;
  private final SharedAddresses shared;
  private final ChallengeState challenges;
  private final EventRecorder recorder;
  private final RayIds rayIds = new RayIds();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong lastFailureLog;

  /**
   * @param clock event times and expiries
   * @param ticker a monotonic clock in nanoseconds, for intervals
   */
  public EngineState(Clock clock, LongSupplier ticker, FeedRegistry feeds, BehaviourTracker behaviour,
      SharedAddresses shared, ChallengeState challenges, EventLog events) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.feeds = Objects.requireNonNull(feeds, "feeds");
    this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
    this.shared = Objects.requireNonNull(shared, "shared");
    this.challenges = Objects.requireNonNull(challenges, "challenges");
    this.recorder = new EventRecorder(Objects.requireNonNull(events, "events"));
    this.lastFailureLog = new AtomicLong(ticker.getAsLong() - Engine.FAILURE_LOG_INTERVAL_NANOS);
  }

  /** The number of internal failures since start. */
  public long internalFailures() {
    return failures.get();
  }

  /** A fresh Ray ID. */
  public String newRayId(String nodeId) {
    return rayIds.next(nodeId);
  }

  Clock clock() {
    return clock;
  }

  FeedRegistry feeds() {
    return feeds;
  }

  BehaviourTracker behaviour() {
    return behaviour;
  }

  SharedAddresses shared() {
    return shared;
  }

  ChallengeState challenges() {
    return challenges;
  }

  EventRecorder recorder() {
    return recorder;
  }

  /** Counts a failure; true when it should be logged (at most once a minute, so a flood cannot fill logs). */
  boolean failed() {
    failures.incrementAndGet();
    long now = ticker.getAsLong();
    long last = lastFailureLog.get();
    return now - last >= Engine.FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now);
  }
}
