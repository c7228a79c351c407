package io.gatehouse.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, with the monotonic ticker that moves with it, so that expiry and decay are
 * tested without sleeping. Hand both to the builder: {@code .clock(clock).ticker(clock::nanos)}.
 * Thread-safe.
 */
public final class MutableClock extends Clock {

  private volatile Instant now;
  private volatile long nanos;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public MutableClock() {
    this(Instant.parse("2026-11-25T10:00:00Z"));
  }

  public synchronized void advance(Duration d) {
    now = now.plus(d);
    nanos += d.toNanos();
  }

  /** The monotonic ticker: nanoseconds advanced since this clock was made. */
  public long nanos() {
    return nanos;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long millis() {
    return now.toEpochMilli();
  }
}
