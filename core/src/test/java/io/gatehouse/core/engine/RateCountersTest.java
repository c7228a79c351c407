package io.gatehouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateCountersTest {

  private static final long S = 1_000_000_000L;
  private static final long MINUTE = 60 * S;
  private final long start = 1_000 * S;

  private static long limited(RateCounters c, long key, long now, int limit, long timeout) {
    return c.request(key, now, MINUTE, limit, timeout, true, 1);
  }

  @Test
  void theSlidingWindowWeighsThePreviousPeriodByWhatItStillCovers() {
    RateCounters c = new RateCounters(1024, start);
    long key = c.key(1, 2);
    // Ten requests at the very start of a period (the table's clock starts 1 s before start).
    long periodStart = start + (MINUTE - (start - (start - S)) % MINUTE) % MINUTE;
    for (int i = 0; i < 10; i++) {
      assertThat(RateCounters.allowed(limited(c, key, periodStart, 100, 0))).isTrue();
    }
    // A quarter into the next period, three quarters of those ten still count: 7 (floor of 7.5), plus this one.
    long r = limited(c, key, periodStart + MINUTE + MINUTE / 4, 100, 0);
    assertThat(RateCounters.countOf(r)).isEqualTo(8);
    // Two periods on, nothing is left.
    assertThat(RateCounters.countOf(limited(c, key, periodStart + 3 * MINUTE, 100, 0))).isEqualTo(1);
  }

  @Test
  void aKeyOverItsRateIsRefusedForTheTimeoutWithTheSecondsToWait() {
    RateCounters c = new RateCounters(1024, start);
    long key = c.key(1, 2);
    for (int i = 0; i < 3; i++) {
      assertThat(RateCounters.allowed(limited(c, key, start, 3, 30 * S))).isTrue();
    }
    long refused = limited(c, key, start, 3, 30 * S);
    assertThat(RateCounters.allowed(refused)).isFalse();
    assertThat(RateCounters.retryAfter(refused)).isEqualTo(30);
    assertThat(RateCounters.countOf(refused)).isEqualTo(4);
    assertThat(RateCounters.retryAfter(limited(c, key, start + 10 * S, 3, 30 * S))).isEqualTo(20);
    assertThat(RateCounters.allowed(c.peek(key, start + 31 * S, MINUTE, 3, true))).isTrue();
  }

  @Test
  void throttlingRefusesTheExcessWithoutCountingIt() {
    RateCounters c = new RateCounters(1024, start);
    long key = c.key(1, 2);
    int passed = 0;
    for (int i = 0; i < 100; i++) {
      if (RateCounters.allowed(limited(c, key, start, 10, 0))) {
        passed++;
      }
    }
    assertThat(passed).isEqualTo(10);
    assertThat(RateCounters.countOf(c.peek(key, start, MINUTE, 10, true))).isEqualTo(10);
    long refused = limited(c, key, start, 10, 0);
    assertThat(RateCounters.retryAfter(refused)).isBetween(1L, 120L);
  }

  @Test
  void responseCountsRefuseFromTheNextRequestOn() {
    RateCounters c = new RateCounters(1024, start);
    long key = c.key(1, 2);
    c.add(key, start, MINUTE, 5, 60 * S, 4);
    assertThat(RateCounters.allowed(c.request(key, start, MINUTE, 5, 60 * S, false, 1))).isTrue();
    c.add(key, start, MINUTE, 5, 60 * S, 2);
    long r = c.request(key, start, MINUTE, 5, 60 * S, false, 1);
    assertThat(RateCounters.allowed(r)).isFalse();
    assertThat(RateCounters.retryAfter(r)).isEqualTo(60);
  }

  @Test
  void aFullSetEvictsTheLeastRecentCounterButKeepsTheOnesRefusing() {
    RateCounters c = new RateCounters(RateCounters.WAYS, start);
    assertThat(c.capacity()).isEqualTo(RateCounters.WAYS);
    long[] keys = new long[RateCounters.WAYS];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = c.key(1, i);
    }
    // The first key goes over and is refused for an hour.
    for (int i = 0; i < 3; i++) {
      limited(c, keys[0], start, 2, 3_600 * S);
    }
    for (int i = 1; i < keys.length; i++) {
      limited(c, keys[i], start + i * S, 2, 3_600 * S);
    }
    // A flood of fresh keys: each takes the slot of the least recently used one, never the refusing one.
    for (int i = 0; i < 10_000; i++) {
      limited(c, c.key(2, i), start + 10 * S, 2, 3_600 * S);
    }
    assertThat(RateCounters.allowed(c.request(keys[0], start + 20 * S, MINUTE, 2, 3_600 * S, true, 1))).isFalse();
  }

  @Test
  void capacityIsRoundedUpToAPowerOfTwo() {
    assertThat(new RateCounters(1000, start).capacity()).isEqualTo(1024);
    assertThat(new RateCounters(1024, start).capacity()).isEqualTo(1024);
    assertThat(new RateCounters(1025, start).capacity()).isEqualTo(2048);
  }

  @Test
  void queryArgumentsAreDecodedAsAFormDecodesThem() {
    assertThat(QueryArgs.values("user=al%69ce&x=1", "user")).isEqualTo("alice");
    assertThat(QueryArgs.values("a=1&b=2&a=3+4", "a")).isEqualTo("1, 3 4");
    assertThat(QueryArgs.values("a=%zz%4", "a")).isEqualTo("%zz%4");
    assertThat(QueryArgs.values("flag&a=", "flag")).isEmpty();
    assertThat(QueryArgs.values("b=1", "a")).isNull();
    assertThat(QueryArgs.values("", "a")).isNull();
    assertThat(QueryArgs.hash("user=al%69ce", "user")).isEqualTo(QueryArgs.hash("user=alice", "user"));
    assertThat(QueryArgs.hash("user=", "user")).isNotEqualTo(QueryArgs.hash("other=", "user"));
  }

  @Test
  void scoresAreWholeNumbersAndAnythingElseCountsOne() {
    assertThat(RateLimitStage.score("60")).isEqualTo(60);
    assertThat(RateLimitStage.score(" 0 ")).isZero();
    assertThat(RateLimitStage.score(null)).isEqualTo(1);
    assertThat(RateLimitStage.score("-5")).isEqualTo(1);
    assertThat(RateLimitStage.score("1e9")).isEqualTo(1);
    assertThat(RateLimitStage.score("99999999999")).isEqualTo(1);
    assertThat(RateLimitStage.score("9999999999")).isEqualTo(RateLimitStage.MAX_SCORE);
  }
}
