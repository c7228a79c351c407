package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.testing.MutableClock;
import io.gatehouse.testing.Requests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rate limiting rules, decided on the injected clock. */
class RateLimitTest {

  private final MutableClock clock = new MutableClock();

  private Gatehouse engine(String properties) throws ConfigException {
    return Gatehouse.builder().config(ConfigSource.text("rl.properties", properties)).clock(clock)
        .ticker(clock::nanos).watchFiles(false).environment(Map.of()).build();
  }

  private static RequestFacts login(String ip) {
    return Requests.browser(ip).method("POST").path("/login").build();
  }

  private static final String LOGIN = """
      gatehouse.rate-limit.login.expression=http.request.uri.path eq "/login" and http.request.method eq "POST"
      gatehouse.rate-limit.login.characteristics=ip.src
      gatehouse.rate-limit.login.period=1m
      gatehouse.rate-limit.login.requests=5
      gatehouse.rate-limit.login.mitigation-timeout=10m
      gatehouse.rate-limit.login.action=block
      """;

  @Test
  void fivePassAndTheSixthIsRefusedWith1015UntilTheMitigationTimeoutEnds() throws Exception {
    try (Gatehouse g = engine(LOGIN)) {
      for (int i = 0; i < 5; i++) {
        assertThat(g.decide(login("203.0.113.9")).action()).as("request %d", i + 1).isEqualTo(Action.ALLOW);
      }
      Decision sixth = g.decide(login("203.0.113.9"));
      assertThat(sixth.action()).isEqualTo(Action.BLOCK);
      assertThat(sixth.errorCode()).isEqualTo(Decision.RATE_LIMITED);
      assertThat(sixth.errorName()).isEqualTo("rate_limited");
      assertThat(sixth.source()).isEqualTo(Source.RATE_LIMITING);
      assertThat(sixth.ruleId()).isEqualTo("login");
      assertThat(sixth.retryAfterSeconds()).isEqualTo(600);
      assertThat(sixth.description()).isEqualTo("rate limit 'login': 6 requests in 1m (limit 5) for"
          + " ip.src=203.0.113.9; refused for 10m");

      // Other addresses and other paths are not affected.
      assertThat(g.decide(login("203.0.113.10")).action()).isEqualTo(Action.ALLOW);
      assertThat(g.decide(Requests.browser("203.0.113.9").path("/").build()).action()).isEqualTo(Action.ALLOW);

      clock.advance(Duration.ofMinutes(5));
      Decision later = g.decide(login("203.0.113.9"));
      assertThat(later.action()).isEqualTo(Action.BLOCK);
      assertThat(later.retryAfterSeconds()).isEqualTo(300);
      clock.advance(Duration.ofMinutes(5).plusSeconds(1));
      assertThat(g.decide(login("203.0.113.9")).action()).as("the timeout has ended").isEqualTo(Action.ALLOW);

      List<SecurityEvent> events = g.events().query(EventLog.Query.all(1000));
      assertThat(events).isNotEmpty().allSatisfy(e -> {
        assertThat(e.source()).isEqualTo(Source.RATE_LIMITING);
        assertThat(e.ruleId()).isEqualTo("login");
        assertThat(e.errorCode()).isEqualTo(1015);
      });
    }
  }

  @Test
  void anIpv6ClientCountsByItsSlash64SoRotatingWithinItDoesNotEscape() throws Exception {
    try (Gatehouse g = engine(LOGIN)) {
      for (int i = 0; i < 5; i++) {
        assertThat(g.decide(login("2001:db8:1:2::" + Integer.toHexString(i + 1))).action()).isEqualTo(Action.ALLOW);
      }
      Decision sixth = g.decide(login("2001:db8:1:2:ffff::9"));
      assertThat(sixth.action()).isEqualTo(Action.BLOCK);
      assertThat(sixth.description()).contains("for ip.src=2001:db8:1:2::/64;");
      assertThat(g.decide(login("2001:db8:1:3::1")).action()).as("another /64").isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void byVisitorTwoBrowsersOnOneAddressAreCountedApart() throws Exception {
    try (Gatehouse g = engine(LOGIN.replace("characteristics=ip.src", "characteristics=cf.unique_visitor_id"))) {
      for (int i = 0; i < 5; i++) {
        assertThat(g.decide(Requests.browser("100.64.0.7", Requests.CHROME).method("POST").path("/login").build())
            .action()).isEqualTo(Action.ALLOW);
      }
      assertThat(g.decide(Requests.browser("100.64.0.7", Requests.CHROME).method("POST").path("/login").build())
          .action()).as("the sixth from the same browser").isEqualTo(Action.BLOCK);
      assertThat(g.decide(Requests.browser("100.64.0.7", Requests.FIREFOX).method("POST").path("/login").build())
          .action()).as("another browser behind the same address").isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void withoutCharacteristicsTheCounterIsPerVisitorNeverPerSharedAddress() throws Exception {
    try (Gatehouse g = engine(LOGIN.replace("gatehouse.rate-limit.login.characteristics=ip.src\n", ""))) {
      for (int i = 0; i < 6; i++) {
        g.decide(Requests.browser("100.64.0.7", Requests.CHROME).method("POST").path("/login").build());
      }
      assertThat(g.decide(Requests.browser("100.64.0.7", Requests.FIREFOX).method("POST").path("/login").build())
          .action()).isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void throttlingRefusesOnlyTheRequestsOverTheRate() throws Exception {
    try (Gatehouse g = engine(LOGIN.replace("mitigation-timeout=10m", "mitigation-timeout=0"))) {
      int allowed = 0;
      for (int i = 0; i < 8; i++) {
        if (g.decide(login("203.0.113.9")).action() == Action.ALLOW) {
          allowed++;
        }
      }
      assertThat(allowed).isEqualTo(5);
      // Two periods on, the sliding window has emptied: five more pass.
      clock.advance(Duration.ofMinutes(2));
      allowed = 0;
      for (int i = 0; i < 6; i++) {
        if (g.decide(login("203.0.113.9")).action() == Action.ALLOW) {
          allowed++;
        }
      }
      assertThat(allowed).isEqualTo(5);
    }
  }

  @Test
  void aCountingExpressionOn401StopsAPasswordGuesserAndNeverALegitimateUser() throws Exception {
    String rules = LOGIN + "gatehouse.rate-limit.login.counting-expression=http.response.code eq 401\n";
    try (Gatehouse g = engine(rules)) {
      // The user logs in fine, twenty times.
      for (int i = 0; i < 20; i++) {
        RequestFacts f = login("198.51.100.4");
        Decision d = g.decide(f);
        assertThat(d.action()).isEqualTo(Action.ALLOW);
        g.observeResponse(d, f, 302);
      }
      // The guesser fails five times; the next attempt is refused before reaching the application.
      for (int i = 0; i < 5; i++) {
        RequestFacts f = login("203.0.113.66");
        Decision d = g.decide(f);
        assertThat(d.action()).as("guess %d", i + 1).isEqualTo(Action.ALLOW);
        g.observeResponse(d, f, 401);
      }
      RequestFacts f = login("203.0.113.66");
      Decision d = g.decide(f);
      assertThat(d.action()).isEqualTo(Action.BLOCK);
      assertThat(d.errorCode()).isEqualTo(1015);
      assertThat(g.decide(login("198.51.100.4")).action()).isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void aScoreHeaderCountsWhatTheApplicationSaysARequestCosts() throws Exception {
    String rules = """
        gatehouse.rate-limit.api.expression=starts_with(http.request.uri.path, "/api/")
        gatehouse.rate-limit.api.characteristics=http.request.headers["x-api-key"]
        gatehouse.rate-limit.api.period=1m
        gatehouse.rate-limit.api.requests=100
        gatehouse.rate-limit.api.mitigation-timeout=1m
        gatehouse.rate-limit.api.score-header=X-Query-Cost
        """;
    try (Gatehouse g = engine(rules)) {
      RequestFacts heavy = Requests.browser("192.0.2.1").path("/api/search").header("X-Api-Key", "k1").build();
      for (int i = 0; i < 2; i++) {
        Decision d = g.decide(heavy);
        assertThat(d.action()).isEqualTo(Action.ALLOW);
        g.observeResponse(d, heavy, 200, name -> name.equals("x-query-cost") ? "60" : null);
      }
      assertThat(g.decide(heavy).action()).as("120 of 100 spent").isEqualTo(Action.BLOCK);
      RequestFacts other = Requests.browser("192.0.2.1").path("/api/search").header("X-Api-Key", "k2").build();
      assertThat(g.decide(other).action()).as("another key").isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void challengeAndLogActionsAndAnAllowRuleOrASkipBeforeIt() throws Exception {
    String rules = LOGIN.replace("action=block", "action=challenge")
        + "gatehouse.access-rule.office=allow ip 192.0.2.0/24\n"
        + "gatehouse.rule.monitor.expression=http.user_agent contains \"monitor\"\n"
        + "gatehouse.rule.monitor.action=skip\n"
        + "gatehouse.rule.monitor.skip=rate_limiting\n";
    try (Gatehouse g = engine(rules)) {
      for (int i = 0; i < 5; i++) {
        g.decide(login("203.0.113.9"));
      }
      Decision d = g.decide(login("203.0.113.9"));
      assertThat(d.action()).isEqualTo(Action.CHALLENGE);
      assertThat(d.errorCode()).isEqualTo(1015);
      for (int i = 0; i < 10; i++) {
        assertThat(g.decide(login("192.0.2.5")).action()).as("allowed by an access rule").isEqualTo(Action.ALLOW);
        assertThat(g.decide(Requests.browser("203.0.113.77", "monitor/1.0").method("POST").path("/login").build())
            .action()).as("skipped by a custom rule").isEqualTo(Action.ALLOW);
      }
    }
    try (Gatehouse g = engine(LOGIN.replace("action=block", "action=log"))) {
      for (int i = 0; i < 8; i++) {
        assertThat(g.decide(login("203.0.113.9")).action()).isEqualTo(Action.ALLOW);
      }
      assertThat(g.events().query(EventLog.Query.all(1000))).hasSize(3)
          .allSatisfy(e -> assertThat(e.action()).isEqualTo(SecurityEvent.Kind.LOG));
    }
  }

  @Test
  void explainShowsTheCounterWithoutCounting() throws Exception {
    try (Gatehouse g = engine(LOGIN)) {
      for (int i = 0; i < 3; i++) {
        g.decide(login("203.0.113.9"));
      }
      for (int i = 0; i < 5; i++) {
        Explanation x = g.explain(login("203.0.113.9"));
        assertThat(x.phases()).filteredOn(p -> p.phase().equals("rate_limiting")).singleElement()
            .satisfies(p -> assertThat(p.details()).contains(
                "rule 'login' matches; ip.src=203.0.113.9: 3 of 5 in 1m"));
      }
      assertThat(g.decide(login("203.0.113.9")).action()).as("explain counted nothing").isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void aMillionDistinctKeysLeaveTheTableItsSize() throws Exception {
    try (Gatehouse g = engine(LOGIN + "gatehouse.rate-limit.max-keys=4096\n")) {
      for (int i = 0; i < 1_000_000; i++) {
        g.decide(login("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
      }
      // The newest keys still count: the sixth request of a fresh key is refused.
      for (int i = 0; i < 5; i++) {
        g.decide(login("203.0.113.200"));
      }
      assertThat(g.decide(login("203.0.113.200")).action()).isEqualTo(Action.BLOCK);
    }
  }

  private static List<String> problems(String properties) {
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.text("rl.properties", properties)).watchFiles(false)
        .environment(Map.of()).build()) {
      throw new AssertionError("loaded " + g.status().summary());
    } catch (ConfigException e) {
      return e.problems().stream().map(Object::toString).toList();
    }
  }

  @Test
  void aRuleMissingWhatItNeedsOrReadingTheResponseWhereItCannotIsRefused() {
    assertThat(problems("gatehouse.rate-limit.x.action=block\n")).containsExactly("rl.properties:1:"
        + " gatehouse.rate-limit.x.action: rate limiting rule 'x' needs gatehouse.rate-limit.x.expression and"
        + " gatehouse.rate-limit.x.period and gatehouse.rate-limit.x.requests");
    assertThat(problems("gatehouse.rule.r.expression=http.response.code eq 401\ngatehouse.rule.r.action=block\n"))
        .containsExactly("rl.properties:1: gatehouse.rule.r.expression: http.response.code is known only once the"
            + " application has answered; only a rate limiting rule's counting-expression can read it");
    assertThat(problems(LOGIN.replace("characteristics=ip.src", "characteristics=http.request.headers[\"X-Api-Key\"],"
        + " ip.src, ip.src"))).containsExactly(
        "rl.properties:2: gatehouse.rate-limit.login.characteristics: 'http.request.headers[\"X-Api-Key\"]': header"
            + " names are lower case in the rules language; write http.request.headers[\"x-api-key\"]",
        "rl.properties:2: gatehouse.rate-limit.login.characteristics: 'ip.src' is named twice");
    assertThat(problems(LOGIN.replace("characteristics=ip.src", "characteristics=ip.src.asnum"))).containsExactly(
        "rl.properties:2: gatehouse.rate-limit.login.characteristics: ip.src.asnum needs AS data: set"
            + " gatehouse.geo.asn-database or gatehouse.geo.ip2asn");
  }

  @Test
  void theCdnsRequiredDataCentreCharacteristicIsAcceptedAndAddsNothing() throws Exception {
    try (Gatehouse g = engine(LOGIN.replace("characteristics=ip.src", "characteristics=ip.src, cf.colo.id"))) {
      for (int i = 0; i < 5; i++) {
        g.decide(login("203.0.113.9"));
      }
      assertThat(g.decide(login("203.0.113.9")).description()).contains("for ip.src=203.0.113.9;");
    }
  }
}
