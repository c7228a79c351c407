package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The threat score from feeds and behaviour, judged by the Security Level, with shared addresses. */
class SecurityLevelTest {

  @TempDir
  Path dir;
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void feeds() throws Exception {
    Files.writeString(dir.resolve("bad.netset"), "# test feed\n192.0.2.0/24\n100.64.0.0/24\n203.0.113.50\n");
    Files.writeString(dir.resolve("scores.csv"), "198.51.100.15,15\n198.51.100.14,14\n198.51.100.25,25\n"
        + "198.51.100.50,50\n");
  }

  private Gatehouse engine(String extra) throws Exception {
    Path config = dir.resolve("g.properties");
    Files.writeString(config, """
        gatehouse.reputation.feed.firehol.source=bad.netset
        gatehouse.reputation.feed.firehol.score=60
        gatehouse.reputation.feed.scored.source=scores.csv
        gatehouse.reputation.feed.scored.format=csv
        """ + extra);
    return Gatehouse.builder().config(ConfigSource.file(config)).clock(clock).ticker(clock::nanos).environment(Map.of())
        .watchFiles(false).behaviourExecutor(Runnable::run).build();
  }

  private static Decision decide(Gatehouse g, String ip) {
    return g.decide(io.gatehouse.testing.Requests.browser(ip).path("/").build());
  }

  @Test
  void aListedAddressIsChallengedByDefaultWithTheFeedAndScoreInTheEvent() throws Exception {
    Gatehouse g = engine("");
    Decision d = decide(g, "192.0.2.7");
    assertThat(d.action()).isEqualTo(Action.CHALLENGE);
    assertThat(d.errorCode()).isEqualTo(1012);
    assertThat(d.source()).isEqualTo(Source.SECURITY_LEVEL);
    assertThat(d.ruleId()).isEqualTo("medium");
    assertThat(d.threatScore()).isEqualTo(60);
    SecurityEvent e = g.events().findByRay(d.rayId()).orElseThrow();
    assertThat(e.threatScore()).isEqualTo(60);
    assertThat(e.description()).isEqualTo("threat score 60 is above the medium security level (14): listed by"
        + " [firehol 60]; decided by the feed's score");
    assertThat(e.sharedIp()).isFalse();
    assertThat(decide(g, "192.0.3.1").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void aFeedConfiguredToBlockAnswers1012() throws Exception {
    Gatehouse g = engine("gatehouse.reputation.feed.firehol.action=block\n");
    Decision d = decide(g, "192.0.2.7");
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.errorCode()).isEqualTo(1012);
    assertThat(decide(g, "198.51.100.50").action()).as("the other feed still challenges").isEqualTo(Action.CHALLENGE);
  }

  @ParameterizedTest(name = "{0}: score {1} -> {2}")
  @CsvSource({
      "essentially_off, 50, CHALLENGE", "essentially_off, 25, ALLOW",
      "low, 25, CHALLENGE", "low, 15, ALLOW",
      "medium, 15, CHALLENGE", "medium, 14, ALLOW",
      "high, 14, CHALLENGE", "high, 0, ALLOW",
      "off, 60, ALLOW"})
  void eachLevelHasItsThreshold(String level, int score, Action expected) throws Exception {
    Gatehouse g = engine("gatehouse.security-level=" + level + "\n");
    String ip = switch (score) {
      case 60 -> "192.0.2.1";
      case 0 -> "203.0.113.1";
      default -> "198.51.100." + score;
    };
    assertThat(decide(g, ip).action()).isEqualTo(expected);
  }

  @Test
  void theActionOverTheThresholdCanBeABlock() throws Exception {
    Gatehouse g = engine("gatehouse.security-level.action=block\n");
    assertThat(decide(g, "192.0.2.7").action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void aSharedAddressWithTheSameScoreIsChallengedNotBlocked() throws Exception {
    Gatehouse g = engine("gatehouse.shared-ip.ranges=203.0.113.0/24\ngatehouse.security-level.action=block\n");
    Decision cgnat = decide(g, "100.64.0.9");
    assertThat(cgnat.action()).isEqualTo(Action.CHALLENGE);
    assertThat(cgnat.description()).endsWith("; shared address (configured)");
    assertThat(g.events().findByRay(cgnat.rayId()).orElseThrow().sharedIp()).isTrue();
    assertThat(decide(g, "203.0.113.50").action()).isEqualTo(Action.CHALLENGE);
    assertThat(decide(g, "192.0.2.7").action()).as("not shared").isEqualTo(Action.BLOCK);
  }

  @Test
  void sharedAddressesCanBeBlockedIfTheOwnerSaysSo() throws Exception {
    Gatehouse g = engine("gatehouse.shared-ip.action=block\n");
    assertThat(decide(g, "100.64.0.9").action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void anAllowRuleOverridesTheReputationBlock() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.partner=allow ip 192.0.2.0/28 \"partner office\"\n"
        + "gatehouse.security-level.action=block\n");
    Decision d = decide(g, "192.0.2.7");
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.ruleId()).isEqualTo("partner");
    assertThat(decide(g, "192.0.2.77").action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void aCountryAllowSkipsTheSecurityLevel() throws Exception {
    Gatehouse g = engine("gatehouse.geo.ip2asn=" + AccessRulesTargetsTest.resource("/geo/ip2asn-v4.tsv") + "\n"
        + "gatehouse.access-rule.us=allow country US\ngatehouse.security-level.action=block\n");
    Files.writeString(dir.resolve("bad.netset"), "1.0.0.0/24\n192.0.2.0/24\n");
    g.reload();
    assertThat(decide(g, "1.0.0.7").action()).isEqualTo(Action.ALLOW);
    assertThat(decide(g, "1.0.0.7").ruleId()).isEqualTo("us");
    assertThat(decide(g, "192.0.2.7").action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void underAttackChallengesEveryoneButTheAllowlisted() throws Exception {
    Gatehouse g = engine("gatehouse.security-level=under_attack\ngatehouse.access-rule.ok=allow ip 198.51.100.99\n");
    assertThat(decide(g, "203.0.113.1").action()).isEqualTo(Action.CHALLENGE);
    assertThat(decide(g, "198.51.100.99").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void probingRaisesTheScoreUntilItDecays() throws Exception {
    Gatehouse g = engine("gatehouse.reputation.behaviour.half-life=10m\ngatehouse.security-level.action=block\n");
    String scanner = "203.0.113.9";
    Decision first = decide(g, scanner);
    assertThat(first.action()).isEqualTo(Action.ALLOW);
    for (int i = 0; i < 20; i++) {
      g.observeResponse(first, io.gatehouse.testing.Requests.browser(scanner).path("/probe" + i).build(), 404);
    }
    Decision after = decide(g, scanner);
    assertThat(after.action()).isEqualTo(Action.BLOCK);
    assertThat(after.threatScore()).isEqualTo(25);
    assertThat(after.description()).endsWith("visitor behaviour 25; decided by the visitor's score");
    assertThat(g.decide(io.gatehouse.testing.Requests.browser(scanner, io.gatehouse.testing.Requests.FIREFOX)
        .path("/").build()).action()).as("a neighbour on the same address").isEqualTo(Action.ALLOW);
    assertThat(g.events().query(EventLog.Query.all(10)))
        .anySatisfy(e -> assertThat(e.ruleId()).isEqualTo("probing"));
    clock.advance(Duration.ofMinutes(10));
    assertThat(decide(g, scanner).threatScore()).isEqualTo(13);
    assertThat(decide(g, scanner).action()).as("decayed below the medium threshold").isEqualTo(Action.ALLOW);
    // Another address is untouched throughout.
    assertThat(decide(g, "203.0.113.10").threatScore()).isZero();
  }

  @Test
  void blocksRaiseTheBlockedAddressScoreByTheirSourcesPoints() throws Exception {
    Gatehouse g = engine("gatehouse.reputation.behaviour.points.access_rules=20\n"
        + "gatehouse.access-rule.x=block ip 203.0.113.60\n");
    decide(g, "203.0.113.60");
    decide(g, "203.0.113.60");
    assertThat(decide(g, "203.0.113.60").threatScore()).isEqualTo(40);
  }

  @Test
  void feedProblemsAreConfigurationProblems() {
    assertThatThrownBy(() -> engine("""
        gatehouse.reputation.feed.broken.source=missing.txt
        gatehouse.reputation.feed.nosource.score=20
        gatehouse.reputation.feed.x.format=json
        gatehouse.reputation.feed.x.source=ftp://example.com/list
        gatehouse.reputation.feed.y.score=0
        gatehouse.reputation.feed.y.source=bad.netset
        gatehouse.security-level=paranoid
        gatehouse.reputation.behaviour.points.bic=5
        """)).hasMessageContaining("g.properties:6: gatehouse.reputation.feed.nosource.score: feed 'nosource' needs"
            + " gatehouse.reputation.feed.nosource.source")
        .hasMessageContaining("g.properties:7: gatehouse.reputation.feed.x.format: 'json' is not one of auto, plain,"
            + " spamhaus-drop, csv, tor-exits")
        .hasMessageContaining("g.properties:8: gatehouse.reputation.feed.x.source: 'ftp://example.com/list' is"
            + " neither a file nor an http(s) URL")
        .hasMessageContaining("g.properties:9: gatehouse.reputation.feed.y.score: '0' is not a whole number from 1"
            + " to 100")
        .hasMessageContaining("g.properties:11: gatehouse.security-level: 'paranoid' is not one of off,"
            + " essentially_off, low, medium, high, under_attack")
        .hasMessageContaining("g.properties:12: gatehouse.reputation.behaviour.points.bic: 'bic' is not one of");
    assertThatThrownBy(() -> engine("gatehouse.reputation.feed.broken.source=missing.txt\n"))
        .hasMessageContaining("g.properties:5: gatehouse.reputation.feed.broken.source: no such file: "
            + dir.resolve("missing.txt"));
  }
}
