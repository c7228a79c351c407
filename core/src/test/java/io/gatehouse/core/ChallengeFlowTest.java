package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Challenge, solve, clearance, through the engine's API. */
class ChallengeFlowTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";
  private final MutableClock clock = new MutableClock();

  private Gatehouse engine(String extra) throws Exception {
    return Gatehouse.builder().config(ConfigSource.text("t", """
        gatehouse.challenge.secret=%s
        gatehouse.challenge.difficulty=8
        gatehouse.access-rule.watch=challenge ip 203.0.113.0/24
        gatehouse.access-rule.bad=block ip 198.51.100.0/24
        """.formatted(SECRET) + extra)).clock(clock).ticker(clock::nanos).environment(Map.of()).watchFiles(false).build();
  }

  private static RequestFacts.Builder request(String ip) {
    return request(ip, UA);
  }

  private static RequestFacts.Builder request(String ip, String userAgent) {
    return io.gatehouse.testing.Requests.browser(ip, userAgent).path("/account").query("tab=orders");
  }

  static String solve(Challenge c) {
    int n = 0;
    while (!Challenge.solves(c.token(), Integer.toString(n), c.difficulty())) {
      n++;
    }
    return Integer.toString(n);
  }

  @Test
  void solvingTheChallengeGivesAClearanceThatSatisfiesChallengesButNotBlocks() throws Exception {
    Gatehouse g = engine("");
    Decision challenged = g.decide(request("203.0.113.9").build());
    assertThat(challenged.action()).isEqualTo(Action.CHALLENGE);
    Challenge c = g.issueChallenge(challenged, request("203.0.113.9").build());
    assertThat(c.verifyPath()).isEqualTo("/__gatehouse-challenge");

    Challenge.Verdict v = g.verifyChallenge(request("203.0.113.9").path(c.verifyPath()).build(), c.token(), solve(c), 321);
    assertThat(v.solved()).isTrue();
    assertThat(v.redirect()).isEqualTo("/account?tab=orders");
    assertThat(v.maxAge()).isEqualTo(Duration.ofMinutes(30));

    Decision passed = g.decide(request("203.0.113.9").header("Cookie", "other=1; gatehouse_clearance=" + v.clearance())
        .build());
    assertThat(passed.action()).isEqualTo(Action.ALLOW);

    SecurityEvent solved = g.events().findByRay(v.rayId()).orElseThrow();
    assertThat(solved.action().id()).isEqualTo("challenge_solved");
    assertThat(solved.source().id()).isEqualTo("challenge");
    assertThat(solved.description()).isEqualTo("solved the challenge issued with Ray ID " + challenged.rayId()
        + " (difficulty 8, 321 ms in the browser)");

    // The same visitor's clearance does nothing against a block.
    Gatehouse blockedEngine = engine("gatehouse.access-rule.watch2=block ip 203.0.113.9\n");
    Decision blocked = blockedEngine.decide(request("203.0.113.9").header("Cookie", "gatehouse_clearance="
        + v.clearance()).build());
    assertThat(blocked.action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void aClearanceEndsAfterItsLifetime() throws Exception {
    Gatehouse g = engine("gatehouse.challenge.ttl=10m\n");
    Decision challenged = g.decide(request("203.0.113.9").build());
    Challenge c = g.issueChallenge(challenged, request("203.0.113.9").build());
    String cookie = g.verifyChallenge(request("203.0.113.9").build(), c.token(), solve(c), 0).clearance();
    clock.advance(Duration.ofMinutes(9));
    assertThat(g.decide(request("203.0.113.9").header("Cookie", "gatehouse_clearance=" + cookie).build()).action())
        .isEqualTo(Action.ALLOW);
    clock.advance(Duration.ofMinutes(2));
    assertThat(g.decide(request("203.0.113.9").header("Cookie", "gatehouse_clearance=" + cookie).build()).action())
        .isEqualTo(Action.CHALLENGE);
  }

  @Test
  void badSolutionsAreRefusedAndRecorded() throws Exception {
    Gatehouse g = engine("");
    Decision challenged = g.decide(request("203.0.113.9").build());
    Challenge c = g.issueChallenge(challenged, request("203.0.113.9").build());
    String answer = solve(c);

    assertThat(g.verifyChallenge(request("203.0.113.10").build(), c.token(), answer, 0).reason())
        .isEqualTo("the token was issued to another address");
    assertThat(g.verifyChallenge(request("203.0.113.9", "curl/8").build(), c.token(), answer, 0)
        .reason()).isEqualTo("the token was issued to another browser (User-Agent)");
    String wrong = answer.equals("0") ? "1" : "0";
    if (!Challenge.solves(c.token(), wrong, c.difficulty())) {
      assertThat(g.verifyChallenge(request("203.0.113.9").build(), c.token(), wrong, 0).reason())
          .isEqualTo("the proof of work does not solve the token");
    }
    assertThat(g.verifyChallenge(request("203.0.113.9").build(), c.token() + "x", answer, 0).reason())
        .isEqualTo("the token is malformed or its signature is wrong");
    Challenge.Verdict ok = g.verifyChallenge(request("203.0.113.9").build(), c.token(), answer, 0);
    assertThat(ok.solved()).isTrue();
    assertThat(g.verifyChallenge(request("203.0.113.9").build(), c.token(), answer, 0).reason())
        .isEqualTo("the token was already redeemed");

    Challenge late = g.issueChallenge(challenged, request("203.0.113.9").build());
    clock.advance(Duration.ofMinutes(6));
    assertThat(g.verifyChallenge(request("203.0.113.9").build(), late.token(), solve(late), 0).reason())
        .isEqualTo("the token has expired");

    assertThat(g.events().query(new EventLog.Query(null, null, "challenge_failed", null, null, 100))).hasSize(6);
  }

  @Test
  void aForgedOrStolenCookieIsRejectedRecordedAndChallengedAgain() throws Exception {
    Gatehouse g = engine("");
    Decision challenged = g.decide(request("203.0.113.9").build());
    Challenge c = g.issueChallenge(challenged, request("203.0.113.9").build());
    String cookie = g.verifyChallenge(request("203.0.113.9").build(), c.token(), solve(c), 0).clearance();

    Decision stolen = g.decide(request("203.0.113.77").header("Cookie", "gatehouse_clearance=" + cookie).build());
    assertThat(stolen.action()).isEqualTo(Action.CHALLENGE);
    assertThat(g.events().query(new EventLog.Query(null, stolen.rayId(), null, null, null, 10)))
        .extracting(e -> e.action().id()).containsExactlyInAnyOrder("challenge", "challenge_failed");

    Decision forged = g.decide(request("203.0.113.9").header("Cookie", "gatehouse_clearance=AQAAAABpJtKA.bogus")
        .build());
    assertThat(forged.action()).isEqualTo(Action.CHALLENGE);

    Decision otherBrowser = g.decide(request("203.0.113.9", "Mozilla/5.0 Firefox/133.0")
        .header("Cookie", "gatehouse_clearance=" + cookie).build());
    assertThat(otherBrowser.action()).isEqualTo(Action.CHALLENGE);
  }

  @Test
  void underAttackLetsClearedVisitorsThrough() throws Exception {
    Gatehouse g = engine("gatehouse.security-level=under_attack\n");
    Decision challenged = g.decide(request("192.0.2.1").build());
    assertThat(challenged.source()).isEqualTo(Source.SECURITY_LEVEL);
    Challenge c = g.issueChallenge(challenged, request("192.0.2.1").build());
    String cookie = g.verifyChallenge(request("192.0.2.1").build(), c.token(), solve(c), 0).clearance();
    assertThat(g.decide(request("192.0.2.1").header("Cookie", "gatehouse_clearance=" + cookie).build()).action())
        .isEqualTo(Action.ALLOW);
  }

  @Test
  void enginesWithTheSameSecretAcceptEachOthersClearances() throws Exception {
    Gatehouse a = engine("");
    Gatehouse b = engine("");
    Decision challenged = a.decide(request("203.0.113.9").build());
    Challenge c = a.issueChallenge(challenged, request("203.0.113.9").build());
    String cookie = a.verifyChallenge(request("203.0.113.9").build(), c.token(), solve(c), 0).clearance();
    assertThat(b.decide(request("203.0.113.9").header("Cookie", "gatehouse_clearance=" + cookie).build()).action())
        .isEqualTo(Action.ALLOW);
  }

  @Test
  void withoutASecretEachEngineUsesItsOwnAndKeepsItAcrossReloads() throws Exception {
    Gatehouse a = Gatehouse.builder().config(ConfigSource.text("t", "gatehouse.challenge.difficulty=4\n"
        + "gatehouse.access-rule.w=challenge ip 203.0.113.0/24\n")).clock(clock).ticker(clock::nanos).watchFiles(false).build();
    Gatehouse b = Gatehouse.builder().config(ConfigSource.text("t", "gatehouse.challenge.difficulty=4\n"
        + "gatehouse.access-rule.w=challenge ip 203.0.113.0/24\n")).clock(clock).ticker(clock::nanos).watchFiles(false).build();
    Decision challenged = a.decide(request("203.0.113.9").build());
    Challenge c = a.issueChallenge(challenged, request("203.0.113.9").build());
    String cookie = a.verifyChallenge(request("203.0.113.9").build(), c.token(), solve(c), 0).clearance();
    a.reload();
    assertThat(a.decide(request("203.0.113.9").header("Cookie", "gatehouse_clearance=" + cookie).build()).action())
        .isEqualTo(Action.ALLOW);
    assertThat(b.decide(request("203.0.113.9").header("Cookie", "gatehouse_clearance=" + cookie).build()).action())
        .isEqualTo(Action.CHALLENGE);
  }

  @Test
  void theVisitorIdIsTheOneTheRulesSawAndADecisionThatCheckedACookieRemembersIt() throws Exception {
    Gatehouse g = engine("""
        gatehouse.rate-limit.seen.expression=http.request.uri.path eq "/account"
        gatehouse.rate-limit.seen.characteristics=cf.unique_visitor_id
        gatehouse.rate-limit.seen.period=1m
        gatehouse.rate-limit.seen.requests=1
        gatehouse.rate-limit.seen.action=log
        """);
    Decision challenged = g.decide(request("203.0.113.9").build());
    Challenge c = g.issueChallenge(challenged, request("203.0.113.9").build());
    String cookie = g.verifyChallenge(request("203.0.113.9").build(), c.token(), solve(c), 0).clearance();
    RequestFacts cleared = request("203.0.113.9").header("Cookie", "gatehouse_clearance=" + cookie).build();
    g.decide(cleared);
    Decision second = g.decide(cleared);
    assertThat(second.action()).isEqualTo(Action.ALLOW);
    assertThat(second.knowsVisitorId()).as("deciding checked the cookie").isTrue();
    assertThat(g.visitorId(cleared, second)).isEqualTo(visitorTheRuleSaw(g, second));

    RequestFacts plain = request("192.0.2.5").build();
    g.decide(plain);
    Decision unchecked = g.decide(plain);
    assertThat(unchecked.knowsVisitorId()).as("no cookie: nothing costly to remember").isFalse();
    assertThat(g.visitorId(plain, unchecked)).isEqualTo(visitorTheRuleSaw(g, unchecked))
        .isNotEqualTo(g.visitorId(cleared, second));
  }

  /** The {@code cf.unique_visitor_id} a rate limiting rule logged the decision under. */
  private static String visitorTheRuleSaw(Gatehouse g, Decision d) {
    String description = g.events().findByRay(d.rayId()).orElseThrow().description();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("cf\\.unique_visitor_id=([0-9a-f]{16})")
        .matcher(description);
    assertThat(m.find()).as(description).isTrue();
    return m.group(1);
  }
}
