package io.gatehouse.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.gatehouse.core.Source;
import io.gatehouse.core.net.Cidr;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventLogTest {

  private static final long MIB = 1 << 20;

  private static SecurityEvent event(int n, String ip, String action) {
    return new SecurityEvent("ray" + n, Instant.ofEpochSecond(n), SecurityEvent.Kind.fromId(action), Source.ACCESS_RULES, "r" + n, "", 1012, ip, ip,
        "peer", 0, "", "XX", "GET", "h", "/", "", "ua", 0, 0, 0, false, "", true);
  }

  @Test
  void keepsTheNewestUpToCapacityAndQueriesNewestFirst() {
    EventLog log = new EventLog(3, MIB);
    for (int i = 1; i <= 5; i++) {
      log.append(event(i, "192.0.2." + i, i % 2 == 0 ? "log" : "block"));
    }
    assertThat(log.size()).isEqualTo(3);
    assertThat(log.appended()).isEqualTo(5);
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray5", "ray4", "ray3");
    assertThat(log.query(EventLog.Query.all(2))).extracting(SecurityEvent::rayId).containsExactly("ray5", "ray4");
    assertThat(log.findByRay("ray1")).isEmpty();
    assertThat(log.findByRay("ray4")).isPresent();
  }

  @Test
  void filtersByNetworkActionSourceAndTime() {
    EventLog log = new EventLog(100, MIB);
    for (int i = 1; i <= 20; i++) {
      log.append(event(i, i <= 10 ? "203.0.113." + i : "2001:db8::" + i, i % 2 == 0 ? "log" : "block"));
    }
    assertThat(log.query(new EventLog.Query(Cidr.parse("203.0.113.0/24"), null, "block", null, null, 100)))
        .extracting(SecurityEvent::rayId).containsExactly("ray9", "ray7", "ray5", "ray3", "ray1");
    assertThat(log.query(new EventLog.Query(Cidr.parse("2001:db8::/32"), null, null, null, Instant.ofEpochSecond(19), 100)))
        .extracting(SecurityEvent::rayId).containsExactly("ray20", "ray19");
    assertThat(log.query(new EventLog.Query(null, "ray7", null, null, null, 5))).hasSize(1);
    assertThat(log.query(new EventLog.Query(null, null, null, "security_level", null, 5))).isEmpty();
  }

  @Test
  void resizingKeepsTheNewest() {
    EventLog log = new EventLog(5, MIB);
    for (int i = 1; i <= 5; i++) {
      log.append(event(i, "192.0.2.1", "block"));
    }
    log.resize(2, MIB);
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray5", "ray4");
    log.append(event(6, "192.0.2.1", "block"));
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray6", "ray5");
    log.resize(4, MIB);
    log.append(event(7, "192.0.2.1", "block"));
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray7", "ray6", "ray5");
  }

  @Test
  void mitigationWinsOverLogLinesForTheSameRay() {
    EventLog log = new EventLog(10, MIB);
    log.append(new SecurityEvent("same", Instant.EPOCH, SecurityEvent.Kind.LOG, Source.ACCESS_RULES, "a", "", 0, "192.0.2.1", "192.0.2.1",
        "peer", 0, "", "XX", "GET", "h", "/", "", "", 0, 0, 0, false, "", true));
    log.append(new SecurityEvent("same", Instant.EPOCH, SecurityEvent.Kind.BLOCK, Source.CUSTOM_RULES, "b", "", 1020, "192.0.2.1",
        "192.0.2.1", "peer", 0, "", "XX", "GET", "h", "/", "", "", 0, 0, 0, false, "", true));
    log.append(new SecurityEvent("same", Instant.EPOCH, SecurityEvent.Kind.LOG, Source.CUSTOM_RULES, "c", "", 0, "192.0.2.1", "192.0.2.1",
        "peer", 0, "", "XX", "GET", "h", "/", "", "", 0, 0, 0, false, "", true));
    assertThat(log.findByRay("same").orElseThrow().action().id()).isEqualTo("block");
  }

  /** An event whose every free-text field is as long as {@link SecurityEvent#of} lets it be, in UTF-16. */
  private static SecurityEvent maximal(int n) {
    String text = ("\u0416" + n).repeat(SecurityEvent.MAX_TEXT_LENGTH).substring(0, SecurityEvent.MAX_TEXT_LENGTH);
    String ip = "2001:db8::" + Integer.toHexString(n);
    return new SecurityEvent("ray" + n, Instant.ofEpochSecond(n), SecurityEvent.Kind.BLOCK, Source.CUSTOM_RULES,
        "flood", fresh(text), 1020, ip, fresh(ip), "peer", 0, "", "XX", fresh(text), fresh(text), fresh(text),
        fresh(text), fresh(text), 0, 0, 0, false, "", true);
  }

  /** A string of its own, as each request's fields are. */
  private static String fresh(String s) {
    return new String(s.toCharArray());
  }

  @Test
  void aFloodOfMaximalEventsIsBoundedInBytesNotOnlyInCount() {
    EventLog log = new EventLog(10_000, 2 * MIB);
    for (int i = 1; i <= 10_000; i++) {
      log.append(maximal(i));
    }
    // Six fields of 1,024 UTF-16 characters: about 13 KB an event, so some 160 fit in 2 MiB.
    assertThat(log.bytes()).isLessThanOrEqualTo(2 * MIB).isGreaterThan(2 * MIB - EventSize.of(maximal(1)));
    assertThat(log.size()).isBetween(150, 170);
    assertThat(log.appended()).isEqualTo(10_000);
    assertThat(log.query(EventLog.Query.all(2))).extracting(SecurityEvent::rayId).containsExactly("ray10000", "ray9999");
    assertThat(log.findByRay("ray10000")).isPresent();
    assertThat(log.findByRay("ray1")).isEmpty();
  }

  @Test
  void ordinaryEventsAreBoundedByTheCountLongBeforeTheBytes() {
    EventLog log = new EventLog(1_000, 16 * MIB);
    for (int i = 1; i <= 3_000; i++) {
      log.append(event(i, "192.0.2." + (i % 250), "block"));
    }
    assertThat(log.size()).isEqualTo(1_000);
    assertThat(log.bytes()).isLessThan(MIB);
  }

  @Test
  void theBytesHeldAreTheEventsEstimatesAndTheRingsSlots() {
    EventLog log = new EventLog(100, MIB);
    long events = 0;
    for (int i = 1; i <= 70; i++) {
      SecurityEvent e = i % 7 == 0 ? maximal(i) : event(i, "192.0.2.1", "log");
      events += EventSize.of(e);
      log.append(e);
    }
    // 70 events need a ring of 100 slots (64 doubled, up to the capacity): a reference and an int each.
    long slots = EventSize.array(100, EventSize.REFERENCE) + EventSize.array(100, Integer.BYTES);
    assertThat(log.bytes()).isEqualTo(events + slots);
  }

  @Test
  void aBigEventPushesOutAsManySmallOnesAsItNeeds() {
    SecurityEvent big = maximal(1_000);
    long small = EventSize.of(event(1, "192.0.2.1", "log"));
    long slots = EventSize.array(64, EventSize.REFERENCE) + EventSize.array(64, Integer.BYTES);
    EventLog log = new EventLog(64, slots + 40 * small);
    for (int i = 1; i <= 40; i++) {
      log.append(event(i, "192.0.2.1", "log"));
    }
    assertThat(log.size()).isEqualTo(40);
    log.append(big);
    long pushedOut = (EventSize.of(big) + small - 1) / small;
    assertThat(log.size()).isEqualTo(40 - (int) pushedOut + 1);
    assertThat(log.query(EventLog.Query.all(1))).containsExactly(big);
    assertThat(log.bytes()).isLessThanOrEqualTo(log.maxBytes());
  }

  @Test
  void theNewestEventIsKeptEvenWhenItAloneIsOverTheBudget() {
    EventLog log = new EventLog(10, 1_000);
    log.append(event(1, "192.0.2.1", "block"));
    log.append(maximal(2));
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray2");
    log.append(event(3, "192.0.2.1", "block"));
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray3");
  }

  @Test
  void resizingToFewerBytesKeepsTheNewestThatFit() {
    EventLog log = new EventLog(1_000, 4 * MIB);
    for (int i = 1; i <= 200; i++) {
      log.append(maximal(i));
    }
    assertThat(log.size()).isEqualTo(200);
    log.resize(1_000, MIB);
    assertThat(log.bytes()).isLessThanOrEqualTo(MIB);
    assertThat(log.size()).isBetween(70, 85);
    assertThat(log.query(EventLog.Query.all(1))).extracting(SecurityEvent::rayId).containsExactly("ray200");
    log.resize(1_000, 4 * MIB);
    log.append(maximal(201));
    assertThat(log.query(EventLog.Query.all(2))).extracting(SecurityEvent::rayId).containsExactly("ray201", "ray200");
  }

  @Test
  void anImpossibleBoundIsRefusedWithItsValue() {
    assertThatIllegalArgumentException().isThrownBy(() -> new EventLog(0, MIB))
        .withMessage("capacity must be at least 1, not 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new EventLog(10, 0))
        .withMessage("maxBytes must be at least 1, not 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new EventLog(10, MIB).resize(10, -5))
        .withMessage("maxBytes must be at least 1, not -5");
  }

  @Test
  void challengeSubmissionsAreNoTopPaths() {
    EventLog log = new EventLog(100, MIB);
    for (int i = 1; i <= 3; i++) {
      log.append(new SecurityEvent("s" + i, Instant.ofEpochSecond(i), SecurityEvent.Kind.CHALLENGE_SOLVED, Source.CHALLENGE,
          "", "", 0, "192.0.2.1", "192.0.2.1", "peer", 0, "", "XX", "POST", "h", "/__gatehouse-challenge", "", "ua", 0, 0,
          0, false, "", true));
    }
    log.append(new SecurityEvent("f", Instant.ofEpochSecond(4), SecurityEvent.Kind.CHALLENGE_FAILED, Source.CHALLENGE,
        "", "", 0, "192.0.2.1", "192.0.2.1", "peer", 0, "", "XX", "POST", "h", "/__gatehouse-challenge", "", "ua", 0, 0,
        0, false, "", true));
    log.append(event(5, "192.0.2.2", "block"));
    EventLog.Stats s = log.stats(Instant.EPOCH, Instant.ofEpochSecond(10), java.time.Duration.ofSeconds(1), 10);
    assertThat(s.total()).isEqualTo(5);
    assertThat(s.topPaths()).extracting(EventLog.Stats.Count::value).containsExactly("/");
  }
}
