package io.gatehouse.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Source;
import io.gatehouse.core.net.Cidr;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventLogTest {

  private static SecurityEvent event(int n, String ip, String action) {
    return new SecurityEvent("ray" + n, Instant.ofEpochSecond(n), SecurityEvent.Kind.fromId(action), Source.ACCESS_RULES, "r" + n, "", 1012, ip, ip,
        "peer", 0, "", "XX", "GET", "h", "/", "", "ua", 0, 0, 0, false, "", true);
  }

  @Test
  void keepsTheNewestUpToCapacityAndQueriesNewestFirst() {
    EventLog log = new EventLog(3);
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
    EventLog log = new EventLog(100);
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
    EventLog log = new EventLog(5);
    for (int i = 1; i <= 5; i++) {
      log.append(event(i, "192.0.2.1", "block"));
    }
    log.resize(2);
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray5", "ray4");
    log.append(event(6, "192.0.2.1", "block"));
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray6", "ray5");
    log.resize(4);
    log.append(event(7, "192.0.2.1", "block"));
    assertThat(log.query(EventLog.Query.all(10))).extracting(SecurityEvent::rayId).containsExactly("ray7", "ray6", "ray5");
  }

  @Test
  void mitigationWinsOverLogLinesForTheSameRay() {
    EventLog log = new EventLog(10);
    log.append(new SecurityEvent("same", Instant.EPOCH, SecurityEvent.Kind.LOG, Source.ACCESS_RULES, "a", "", 0, "192.0.2.1", "192.0.2.1",
        "peer", 0, "", "XX", "GET", "h", "/", "", "", 0, 0, 0, false, "", true));
    log.append(new SecurityEvent("same", Instant.EPOCH, SecurityEvent.Kind.BLOCK, Source.CUSTOM_RULES, "b", "", 1020, "192.0.2.1",
        "192.0.2.1", "peer", 0, "", "XX", "GET", "h", "/", "", "", 0, 0, 0, false, "", true));
    log.append(new SecurityEvent("same", Instant.EPOCH, SecurityEvent.Kind.LOG, Source.CUSTOM_RULES, "c", "", 0, "192.0.2.1", "192.0.2.1",
        "peer", 0, "", "XX", "GET", "h", "/", "", "", 0, 0, 0, false, "", true));
    assertThat(log.findByRay("same").orElseThrow().action().id()).isEqualTo("block");
  }

  @Test
  void challengeSubmissionsAreNoTopPaths() {
    EventLog log = new EventLog(100);
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
