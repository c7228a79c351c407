package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.MutableClock;
import io.gatehouse.testing.Requests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * No sequence of requests by one visitor makes a different visitor on the same address hard-blocked,
 * unless an access rule, a custom rule or a blocking feed says so of that other visitor's own request.
 */
class FairnessProperties {

  private static final String ADDRESS = "203.0.113.5";
  private static final List<String> AGENTS = List.of(FairnessTest.SQLMAP, Requests.CHROME, "", "curl/8.4.0",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "python-requests/2.31");

  /** One thing the misbehaving visitor does. */
  enum Step { SCANNER, PROBE, PAGE, NOT_FOUND, GARBAGE_CHALLENGE, FORGED_COOKIE, WAIT }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 60)
  void anotherVisitorIsNeverBlockedForOnesBehaviour(@ForAll("steps") List<Step> steps,
      @ForAll("agents") String agent, @ForAll("levels") String level) throws Exception {
    MutableClock clock = new MutableClock();
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("t", """
        gatehouse.security-level=%s
        gatehouse.security-level.action=block
        gatehouse.rule.probes.expression=http.request.uri.path in {"/wp-login.php" "/.env"}
        gatehouse.rule.probes.action=block
        """.formatted(level))).clock(clock).ticker(clock::nanos).environment(Map.of()).watchFiles(false)
        .behaviourExecutor(Runnable::run).build();
    int n = 0;
    for (Step step : steps) {
      RequestFacts.Builder r = Requests.browser(ADDRESS, agent).path("/page/" + (n++ % 7));
      switch (step) {
        case SCANNER -> g.decide(Requests.browser(ADDRESS, agent + " sqlmap/1.7").path("/").build());
        case PROBE -> g.decide(r.path(n % 2 == 0 ? "/wp-login.php" : "/.env").build());
        case PAGE -> g.decide(r.build());
        case NOT_FOUND -> {
          RequestFacts f = r.path("/missing/" + n).build();
          g.observeResponse(g.decide(f), f, 404);
        }
        case GARBAGE_CHALLENGE -> g.verifyChallenge(r.build(), "junk" + n, "7", 0);
        case FORGED_COOKIE -> g.decide(r.header("Cookie", "gatehouse_clearance=AQAAAABpJtKA.forged" + n).build());
        case WAIT -> clock.advance(Duration.ofMinutes(7));
      }
      Decision neighbour = g.decide(Requests.browser(ADDRESS, Requests.FIREFOX).path("/").build());
      assertThat(neighbour.action()).as("after %s: %s", step, neighbour.description()).isNotEqualTo(Action.BLOCK);
    }
  }

  @Provide
  Arbitrary<String> agents() {
    return Arbitraries.of(AGENTS);
  }

  @Provide
  Arbitrary<String> levels() {
    return Arbitraries.of("essentially_off", "low", "medium", "high");
  }
}
