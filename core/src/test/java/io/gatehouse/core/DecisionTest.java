package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.net.IpAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Decision is a value: equal by its properties however it was made, and written as a record would be. */
class DecisionTest {

  private static final ClientIp CLIENT = ClientIp.ofPeer(IpAddress.parse("192.0.2.1"));

  @Test
  void aPlainAllowEqualsTheSameDecisionSpelledOut() {
    Decision plain = Decision.allow(CLIENT, 7);
    Decision spelled = new Decision(Action.ALLOW, true, Source.NONE, null, null, 0, null, null, CLIENT, 7, 0);
    assertThat(plain).isEqualTo(spelled).hasSameHashCodeAs(spelled);
    assertThat(plain.withThreatScore(8)).isNotEqualTo(spelled).isEqualTo(spelled.withThreatScore(8));
    assertThat(plain.refuses()).isFalse();
    assertThat(plain.errorName()).isEqualTo("none");
  }

  @Test
  void everyPropertyReadsBackAndTellsDecisionsApart() {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    Decision d = new Decision(Action.BLOCK, true, Source.RATE_LIMITING, "login", "too many", Decision.RATE_LIMITED,
        "8f3a", t, CLIENT, 40, 30);
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.enforced()).isTrue();
    assertThat(d.source()).isEqualTo(Source.RATE_LIMITING);
    assertThat(d.ruleId()).isEqualTo("login");
    assertThat(d.description()).isEqualTo("too many");
    assertThat(d.errorCode()).isEqualTo(1015);
    assertThat(d.rayId()).isEqualTo("8f3a");
    assertThat(d.time()).isEqualTo(t);
    assertThat(d.client()).isEqualTo(CLIENT);
    assertThat(d.threatScore()).isEqualTo(40);
    assertThat(d.retryAfterSeconds()).isEqualTo(30);
    assertThat(d.refuses()).isTrue();
    assertThat(d).isNotEqualTo(new Decision(Action.BLOCK, true, Source.RATE_LIMITING, "login", "too many",
        Decision.RATE_LIMITED, "8f3a", t, CLIENT, 40, 31));
    assertThat(d.withThreatScore(41).retryAfterSeconds()).isEqualTo(30);
  }

  @Test
  void itIsWrittenAsARecordWouldBe() {
    assertThat(Decision.allow(CLIENT, 0)).hasToString("Decision[action=ALLOW, enforced=true, source=NONE,"
        + " ruleId=null, description=null, errorCode=0, rayId=null, time=null, client=" + CLIENT
        + ", threatScore=0, retryAfterSeconds=0]");
  }

  @Test
  void theRememberedVisitorIdIsNoPartOfWhatWasDecided() {
    Decision plain = Decision.allow(CLIENT, 7);
    Decision known = plain.withVisitorId(0x1234L);
    assertThat(plain.knowsVisitorId()).isFalse();
    assertThat(known.knowsVisitorId()).isTrue();
    assertThat(known.visitorId()).isEqualTo(0x1234L);
    assertThat(known).isEqualTo(plain).hasSameHashCodeAs(plain).hasToString(plain.toString());
    assertThat(known.withThreatScore(9).visitorId()).isEqualTo(0x1234L);
  }
}
