package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.testing.MutableClock;
import io.gatehouse.testing.Requests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gatehouse judges visitors, not addresses: one device's behaviour never locks out its neighbours. */
class FairnessTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  static final String SQLMAP = "sqlmap/1.7.2#stable (https://sqlmap.org)";
  static final String OFFICE = "203.0.113.5";

  private final MutableClock clock = new MutableClock();
  @TempDir Path dir;

  Gatehouse engine(String extra) throws Exception {
    Path config = dir.resolve("g.properties");
    Files.writeString(config, """
        gatehouse.challenge.secret=%s
        gatehouse.challenge.difficulty=4
        gatehouse.rule.probes.expression=http.request.uri.path in {"/wp-login.php" "/.env" "/xmlrpc.php"}
        gatehouse.rule.probes.action=block
        """.formatted(SECRET) + extra);
    return Gatehouse.builder().config(ConfigSource.file(config)).clock(clock).ticker(clock::nanos)
        .environment(Map.of()).watchFiles(false).behaviourExecutor(Runnable::run).build();
  }

  static RequestFacts.Builder chrome(String ip) {
    return Requests.browser(ip).path("/");
  }

  static RequestFacts.Builder firefox(String ip) {
    return Requests.browser(ip, Requests.FIREFOX).path("/");
  }

  /** Five scanner requests and three blocked probes from one device. */
  static void misbehave(Gatehouse g, String ip) {
    for (int i = 0; i < 5; i++) {
      assertThat(g.decide(Requests.browser(ip, SQLMAP).path("/item/" + i).build()).action()).isEqualTo(Action.BLOCK);
    }
    for (String probe : new String[] {"/wp-login.php", "/.env", "/xmlrpc.php"}) {
      assertThat(g.decide(Requests.browser(ip, SQLMAP).path(probe).build()).action()).isEqualTo(Action.BLOCK);
    }
  }

  static String solve(Challenge c) {
    return ChallengeFlowTest.solve(c);
  }

  @Test
  void oneInfectedDeviceDoesNotLockOutItsOfficeNeighbours() throws Exception {
    Gatehouse g = engine("");
    misbehave(g, OFFICE);
    assertThat(g.decide(chrome(OFFICE).build()).action()).isEqualTo(Action.ALLOW);
    assertThat(g.decide(firefox(OFFICE).build()).action()).isEqualTo(Action.ALLOW);
    Decision device = g.decide(Requests.browser(OFFICE, SQLMAP).path("/").build());
    assertThat(device.action()).as("the device itself stays refused").isEqualTo(Action.BLOCK);
    assertThat(device.threatScore()).isEqualTo(80);
  }

  @Test
  void theDevicesOwnScoreChallengesItEvenWithABrowserLikeRequest() throws Exception {
    Gatehouse g = engine("");
    // Evidence against a browser signature: blocked probes made with an ordinary Chrome.
    for (String probe : new String[] {"/wp-login.php", "/.env"}) {
      g.decide(chrome(OFFICE).path(probe).build());
    }
    Decision again = g.decide(chrome(OFFICE).build());
    assertThat(again.action()).isEqualTo(Action.CHALLENGE);
    assertThat(again.description()).endsWith("decided by the visitor's score");
    assertThat(g.decide(firefox(OFFICE).build()).action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void evidenceSpreadOverSeveralVisitorsChallengesTheAddressButNeverBlocksIt() throws Exception {
    Gatehouse g = engine("gatehouse.security-level.action=block\n");
    String[] agents = {"A/1", "B/1", "C/1", "D/1"};
    for (String a : agents) {
      for (String probe : new String[] {"/wp-login.php", "/.env"}) {
        g.decide(Requests.browser(OFFICE, a).path(probe).build());
      }
    }
    Decision neighbour = g.decide(firefox(OFFICE).build());
    assertThat(neighbour.action()).isEqualTo(Action.CHALLENGE);
    assertThat(neighbour.description()).contains("address behaviour").endsWith("decided by the address's score");
    assertThat(g.decide(Requests.browser(OFFICE, "A/1").path("/").build()).action())
        .as("a visitor's own evidence, with security-level.action=block").isEqualTo(Action.BLOCK);
  }

  @Test
  void aNeighbourSolvesTheChallengeAndStaysInWhileTheDeviceGoesOnMisbehaving() throws Exception {
    Files.writeString(dir.resolve("feed.txt"), OFFICE + "\n");
    Gatehouse g = engine("gatehouse.reputation.feed.f.source=feed.txt\ngatehouse.reputation.feed.f.score=30\n");
    Decision challenged = g.decide(firefox(OFFICE).build());
    assertThat(challenged.action()).isEqualTo(Action.CHALLENGE);
    Challenge c = g.issueChallenge(challenged, firefox(OFFICE).build());
    Challenge.Verdict v = g.verifyChallenge(firefox(OFFICE).path(c.verifyPath()).build(), c.token(), solve(c), 0);
    assertThat(v.solved()).isTrue();
    String cookie = "gatehouse_clearance=" + v.clearance();
    misbehave(g, OFFICE);
    assertThat(g.decide(firefox(OFFICE).header("Cookie", cookie).build()).action()).isEqualTo(Action.ALLOW);
    misbehave(g, OFFICE);
    assertThat(g.decide(firefox(OFFICE).header("Cookie", cookie).build()).action()).isEqualTo(Action.ALLOW);
    assertThat(g.decide(chrome(OFFICE).build()).action()).as("no clearance: challenged").isEqualTo(Action.CHALLENGE);
  }

  @Test
  void aVisitorsOwnEvidenceRevokesItsClearance() throws Exception {
    Files.writeString(dir.resolve("feed.txt"), OFFICE + "\n");
    Gatehouse g = engine("gatehouse.reputation.feed.f.source=feed.txt\ngatehouse.reputation.feed.f.score=30\n");
    Decision challenged = g.decide(chrome(OFFICE).build());
    Challenge c = g.issueChallenge(challenged, chrome(OFFICE).build());
    String cookie = "gatehouse_clearance="
        + g.verifyChallenge(chrome(OFFICE).build(), c.token(), solve(c), 0).clearance();
    assertThat(g.decide(chrome(OFFICE).header("Cookie", cookie).build()).action()).isEqualTo(Action.ALLOW);
    assertThat(g.decide(chrome(OFFICE).path("/.env").header("Cookie", cookie).build()).action())
        .isEqualTo(Action.BLOCK);
    assertThat(g.decide(chrome(OFFICE).header("Cookie", cookie).build()).action())
        .as("revoked by its own probe").isEqualTo(Action.CHALLENGE);
    assertThat(g.explain(chrome(OFFICE).header("Cookie", cookie).build()).settings()).containsEntry("clearance",
        "revoked");
  }

  @Test
  void aTrustedProxysOwnHeaderlessRequestsNeverLockOutItsAddress() throws Exception {
    Gatehouse g = engine("gatehouse.client-ip.header=X-Forwarded-For\ngatehouse.client-ip.trusted-proxies=10.0.0.0/8\n"
        + "gatehouse.security-level.action=block\n");
    for (int i = 0; i < 200; i++) {
      // Health checks: no forwarding header, no User-Agent.
      assertThat(g.decide(RequestFacts.builder().peer("10.0.0.1").path("/health").build()).ruleId())
          .isEqualTo("missing_user_agent");
    }
    Decision browser = g.decide(chrome("10.0.0.1").build());
    assertThat(browser.action()).isEqualTo(Action.ALLOW);
    assertThat(g.decide(chrome("10.0.0.1").header("X-Forwarded-For", "198.51.100.1").build()).action())
        .isEqualTo(Action.ALLOW);
  }

  @Test
  void garbageChallengeSubmissionsCountOncePerTokenAgainstTheSenderOnly() throws Exception {
    Gatehouse g = engine("gatehouse.security-level=high\n");
    for (int i = 0; i < 3; i++) {
      assertThat(g.verifyChallenge(chrome(OFFICE).build(), "garbage-" + i, "1", 0).solved()).isFalse();
    }
    for (int i = 0; i < 10; i++) {
      g.verifyChallenge(chrome(OFFICE).build(), "garbage-0", "1", 0);
    }
    Decision sender = g.decide(chrome(OFFICE).build());
    assertThat(sender.threatScore()).as("three tokens, five points each").isEqualTo(15);
    assertThat(sender.action()).isEqualTo(Action.CHALLENGE);
    assertThat(g.decide(firefox(OFFICE).build()).action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void anAddressWithManyBrowsersIsDetectedAsSharedAndItsEventsSaySo() throws Exception {
    Gatehouse g = engine("gatehouse.security-level.action=block\n");
    String campus = "198.51.100.77";
    for (int i = 0; i < 12; i++) {
      g.decide(Requests.browser(campus, Requests.CHROME.replace("131.0", "131." + i)).path("/").build());
    }
    Decision probe = g.decide(chrome(campus).path("/.env").build());
    SecurityEvent e = g.events().findByRay(probe.rayId()).orElseThrow();
    assertThat(e.sharedIp()).isTrue();
    assertThat(e.sharedHow()).isEqualTo("detected");
    assertThat(e.toMap()).containsEntry("shared_ip_how", "detected");
    assertThat(g.explain(firefox(campus).build()).sharedHow()).isEqualTo("detected");
    assertThat(g.explain(firefox("198.51.100.78").build()).sharedIp()).isFalse();
  }

  @Test
  void anAuthenticatedAdminRequestIsNeverRefusedByReputation() throws Exception {
    Gatehouse g = engine("gatehouse.security-level=under_attack\ngatehouse.admin.token=0123456789abcdef-admin\n");
    RequestFacts.Builder admin = chrome(OFFICE).path("/__gatehouse/status");
    assertThat(g.decide(admin.build()).action()).as("no token").isEqualTo(Action.CHALLENGE);
    assertThat(g.decide(chrome(OFFICE).path("/__gatehouse/status")
        .header("Authorization", "Bearer 0123456789abcdef-admin").build()).action()).isEqualTo(Action.ALLOW);
    assertThat(g.decide(chrome(OFFICE).path("/__gatehouse/../shop")
        .header("Authorization", "Bearer 0123456789abcdef-admin").build()).action()).isEqualTo(Action.CHALLENGE);
  }

  @Test
  void theCdnsChallengeActionsMeanChallenge() throws Exception {
    Gatehouse g = engine("""
        gatehouse.rule.m.expression=http.request.uri.path eq "/m"
        gatehouse.rule.m.action=managed_challenge
        gatehouse.rule.j.expression=http.request.uri.path eq "/j"
        gatehouse.rule.j.action=js_challenge
        gatehouse.access-rule.i=interactive_challenge ip 192.0.2.9
        """);
    assertThat(g.decide(chrome(OFFICE).path("/m").build()).action()).isEqualTo(Action.CHALLENGE);
    assertThat(g.decide(chrome(OFFICE).path("/j").build()).action()).isEqualTo(Action.CHALLENGE);
    assertThat(g.decide(chrome("192.0.2.9").build()).action()).isEqualTo(Action.CHALLENGE);
  }
}
