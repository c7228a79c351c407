package io.gatehouse.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BehaviourTrackerTest {

  private static final long MIB = 1 << 20;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final BehaviourTracker tracker = tracker(10_000, 16 * MIB);

  private BehaviourTracker tracker(int maxTracked, long maxBytes) {
    return new BehaviourTracker(maxTracked, maxBytes, Duration.ofHours(1), nanos::get, Runnable::run);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  /** Evidence from three visitors at {@code address}, {@code each} points apiece. */
  private void threeVisitors(String address, double each) {
    for (long v = 1; v <= 3; v++) {
      tracker.add(ip(address), v, each, true);
    }
  }

  @Test
  void aVisitorsPointsDecayWithTheHalfLife() {
    tracker.add(ip("192.0.2.1"), 7, 40, true);
    assertThat(tracker.visitorPoints(7)).isEqualTo(40.0);
    advance(Duration.ofHours(1));
    assertThat(tracker.visitorPoints(7)).isCloseTo(20.0, within(1e-9));
    tracker.add(ip("192.0.2.1"), 7, 10, true);
    assertThat(tracker.visitorPoints(7)).isCloseTo(30.0, within(1e-9));
    advance(Duration.ofHours(2));
    assertThat(tracker.visitorPoints(7)).isCloseTo(7.5, within(1e-9));
    assertThat(tracker.visitorPoints(8)).isZero();
  }

  @Test
  void oneVisitorNeverScoresItsAddress() {
    for (int i = 0; i < 100; i++) {
      tracker.add(ip("192.0.2.1"), 7, 10, true);
    }
    assertThat(tracker.visitorPoints(7)).isEqualTo(1_000.0);
    assertThat(tracker.addressPoints(ip("192.0.2.1"))).isZero();
    tracker.add(ip("192.0.2.1"), 8, 10, true);
    assertThat(tracker.addressPoints(ip("192.0.2.1"))).as("two visitors are not yet several").isZero();
    assertThat(tracker.addressVisitors(ip("192.0.2.1"))).isEqualTo(2);
  }

  @Test
  void anAddressIsScoredFromSeveralVisitorsLeavingOutTheOneWithTheMost() {
    tracker.add(ip("192.0.2.1"), 1, 100, true);
    tracker.add(ip("192.0.2.1"), 2, 20, true);
    tracker.add(ip("192.0.2.1"), 3, 10, true);
    assertThat(tracker.addressPoints(ip("192.0.2.1"))).isEqualTo(30.0);
    advance(Duration.ofHours(1));
    assertThat(tracker.addressPoints(ip("192.0.2.1"))).isCloseTo(15.0, within(1e-9));
  }

  @Test
  void evidenceKeptFromTheAddressCountsOnlyForTheVisitor() {
    for (long v = 1; v <= 3; v++) {
      tracker.add(ip("10.0.0.1"), v, 30, false);
    }
    assertThat(tracker.visitorPoints(2)).isEqualTo(30.0);
    assertThat(tracker.addressPoints(ip("10.0.0.1"))).isZero();
  }

  @Test
  void aChangedHalfLifeAppliesFromNowOn() {
    tracker.add(ip("192.0.2.1"), 7, 40, true);
    tracker.configure(10_000, 16 * MIB, Duration.ofMinutes(30));
    advance(Duration.ofHours(1));
    assertThat(tracker.visitorPoints(7)).isCloseTo(10.0, within(1e-9));
  }

  @Test
  void ipv6AddressesAreScoredPerSlash64() {
    threeVisitors("2001:db8:1:2::1", 30);
    assertThat(tracker.addressPoints(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isEqualTo(60.0);
    assertThat(tracker.addressPoints(ip("2001:db8:1:3::1"))).isZero();
    assertThat(tracker.addressPoints(ip("::ffff:192.0.2.1"))).isZero();
  }

  @Test
  void entriesExpireAfterTwelveHalfLivesWithoutWrites() {
    tracker.add(ip("192.0.2.1"), 7, 40, true);
    advance(Duration.ofHours(11));
    tracker.cleanUp();
    assertThat(tracker.size()).isEqualTo(2);
    advance(Duration.ofHours(2));
    tracker.cleanUp();
    assertThat(tracker.size()).isZero();
  }

  @Test
  void manyDistinctPathsAnswered404InAWindowIsProbing() {
    long scanner = 77;
    boolean detected = false;
    for (int i = 0; i < 19; i++) {
      detected |= tracker.probed(scanner, "/admin" + i + ".php", 20, Duration.ofMinutes(1));
    }
    assertThat(detected).isFalse();
    assertThat(tracker.probed(scanner, "/admin0.php", 20, Duration.ofMinutes(1))).as("a repeat is not new").isFalse();
    assertThat(tracker.probed(scanner, "/wp-login.php", 20, Duration.ofMinutes(1))).isTrue();
    // The count starts over after a detection.
    assertThat(tracker.probed(scanner, "/x", 20, Duration.ofMinutes(1))).isFalse();
  }

  @Test
  void slowMistakesAreNotProbing() {
    long visitor = 78;
    boolean detected = false;
    for (int i = 0; i < 100; i++) {
      detected |= tracker.probed(visitor, "/typo" + i, 20, Duration.ofMinutes(1));
      advance(Duration.ofSeconds(10));
    }
    assertThat(detected).isFalse();
  }

  /** What the bound costs in memory is measured by {@code BehaviourTrackerFootprint} in the benchmarks. */
  @Test
  void aMillionDistinctIpv6AddressesStayWithinTheBound() {
    // Bytes to spare: the count is the bound reached here.
    BehaviourTracker bounded = tracker(50_000, 1024 * MIB);
    long peak = 0;
    for (int i = 0; i < 1_000_000; i++) {
      // Each address in its own /64, as a rotating attacker would choose.
      bounded.add(IpAddress.ofV6(0x2001_0db8_0000_0000L | i, 1), i, 5, true);
      if (i % 200_000 == 199_999) {
        bounded.cleanUp();
        peak = Math.max(peak, bounded.size());
      }
    }
    bounded.cleanUp();
    assertThat(bounded.size()).isLessThanOrEqualTo(100_000);
    assertThat(peak).isLessThanOrEqualTo(100_000);
  }

  @Test
  void aFloodOfDistinctAddressesStaysWithinTheByteBudget() {
    BehaviourTracker bounded = tracker(1_000_000, 8 * MIB);
    for (int i = 0; i < 300_000; i++) {
      bounded.add(IpAddress.ofV6(0x2001_0db8_0000_0000L | i, 1), i, 5, true);
    }
    bounded.cleanUp();
    assertThat(bounded.bytes()).isLessThanOrEqualTo(8 * MIB);
    // Half the budget each: 4 MiB of visitors and 4 MiB of addresses, far fewer than the count allows.
    long most = 4 * MIB / BehaviourTracker.VISITOR_BYTES + 4 * MIB / BehaviourTracker.ADDRESS_BYTES;
    assertThat(bounded.size()).isLessThanOrEqualTo(most).isGreaterThan(most * 9 / 10);
  }

  @Test
  void aProbeHistoryWeighsWhatItCosts() {
    BehaviourTracker bounded = tracker(1_000_000, 2 * MIB);
    for (int i = 0; i < 100_000; i++) {
      bounded.probed(i, "/wp-login.php", 20, Duration.ofMinutes(1));
    }
    bounded.cleanUp();
    // A visitor with the history of 20 paths: the entry, an int[20] (96 bytes) and a long[20] (176).
    long withHistory = BehaviourTracker.VISITOR_BYTES + 96 + 176;
    assertThat(bounded.bytes()).isLessThanOrEqualTo(MIB);
    assertThat(bounded.size()).isLessThanOrEqualTo(MIB / withHistory).isGreaterThan(MIB / withHistory * 9 / 10);
  }

  @Test
  void aSmallerBudgetAtReloadEvictsDownToIt() {
    BehaviourTracker bounded = tracker(1_000_000, 16 * MIB);
    for (int i = 0; i < 100_000; i++) {
      bounded.add(IpAddress.ofV4(0x0B000000 + i), i, 5, true);
    }
    bounded.cleanUp();
    assertThat(bounded.bytes()).isGreaterThan(8 * MIB);
    bounded.configure(1_000_000, 2 * MIB, Duration.ofHours(1));
    bounded.cleanUp();
    assertThat(bounded.bytes()).isLessThanOrEqualTo(2 * MIB).isGreaterThan(MIB);
  }

  @Test
  void anImpossibleBoundIsRefusedWithItsValue() {
    assertThatIllegalArgumentException().isThrownBy(() -> tracker(0, MIB))
        .withMessage("maxTracked must be at least 1, not 0");
    assertThatIllegalArgumentException().isThrownBy(() -> tracker(1_000, 1))
        .withMessage("maxBytes must be at least 2, not 1");
  }
}
