package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.testing.Requests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Browser Integrity Check and verified crawlers, through the engine. */
class IntegrityCheckFlowTest {

  private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

  /** Held shut until a test lets DNS answer, so "until verification completes" is observable. */
  private final CountDownLatch dnsAnswers = new CountDownLatch(1);

  /** Answers as DNS would for a real Googlebot address and for an impostor's, once let through. */
  private final CrawlerVerifier.DnsResolver dns = new CrawlerVerifier.DnsResolver() {
    @Override
    public List<String> reverse(IpAddress ip) throws InterruptedException {
      dnsAnswers.await();
      return switch (ip.toString()) {
        case "66.249.66.1" -> List.of("crawl-66-249-66-1.googlebot.com");
        case "203.0.113.66" -> List.of("host-66.hosting.example");
        default -> List.of();
      };
    }

    @Override
    public List<IpAddress> forward(String name) {
      return name.equals("crawl-66-249-66-1.googlebot.com") ? List.of(IpAddress.parse("66.249.66.1")) : List.of();
    }
  };

  /** The verification deadline is far away, so that DNS held at the gate is never given up on. */
  private Gatehouse engine(Path dir, String extra) throws Exception {
    Files.writeString(dir.resolve("feed.netset"), "66.249.64.0/19\n203.0.113.0/24\n");
    Path config = dir.resolve("g.properties");
    Files.writeString(config, "gatehouse.reputation.feed.f.source=feed.netset\ngatehouse.bots.dns-timeout=30s\n"
        + extra);
    return Gatehouse.builder().config(ConfigSource.file(config)).environment(Map.of()).watchFiles(false)
        .dnsResolver(dns).build();
  }

  /**
   * Lets DNS answer and returns once the verification the request started has settled: the verifier's
   * future for a running verification completes after its result is cached, where decisions read it.
   */
  private void answerDns(Gatehouse g, RequestFacts request) throws Exception {
    dnsAnswers.countDown();
    g.policy().bots().verifier().verify(request.userAgent(), request.peer()).get(10, TimeUnit.SECONDS);
  }

  @Test
  void scannersAndMissingUserAgentsFailWithTheHeuristicNamed(@TempDir Path dir) throws Exception {
    Gatehouse g = engine(dir, "");
    Decision sqlmap = g.decide(Requests.browser("192.0.2.1", "sqlmap/1.7.2#stable (https://sqlmap.org)").build());
    assertThat(sqlmap.action()).isEqualTo(Action.BLOCK);
    assertThat(sqlmap.errorCode()).isEqualTo(1012);
    assertThat(sqlmap.source()).isEqualTo(Source.BROWSER_INTEGRITY_CHECK);
    assertThat(sqlmap.ruleId()).isEqualTo("scanner_signature");
    SecurityEvent e = g.events().findByRay(sqlmap.rayId()).orElseThrow();
    assertThat(e.source().id()).isEqualTo("browser_integrity_check");
    assertThat(e.description()).startsWith("browser integrity check failed: scanner_signature (sqlmap");

    Decision none = g.decide(RequestFacts.builder().peer("192.0.2.2").path("/").build());
    assertThat(none.ruleId()).isEqualTo("missing_user_agent");

    Decision noAccept = g.decide(RequestFacts.builder().peer("192.0.2.3").header("User-Agent", Requests.CHROME).build());
    assertThat(noAccept.ruleId()).isEqualTo("browser_header_mismatch");

    assertThat(g.decide(Requests.browser("192.0.2.4").build()).action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void scriptingClientsAreFlaggedOnlyWhenTheOwnerSaysSo(@TempDir Path dir) throws Exception {
    RequestFacts curl = RequestFacts.builder().peer("192.0.2.5").header("User-Agent", "curl/8.5.0")
        .header("Accept", "*/*").build();
    assertThat(engine(dir, "").decide(curl).action()).isEqualTo(Action.ALLOW);
    Decision flagged = engine(dir, "gatehouse.browser-integrity-check.scripting-clients=on\n").decide(curl);
    assertThat(flagged.action()).isEqualTo(Action.BLOCK);
    assertThat(flagged.ruleId()).isEqualTo("scripting_client");
  }

  @Test
  void theCheckCanBeTurnedOffEverywhereOrByPath(@TempDir Path dir) throws Exception {
    RequestFacts sqlmapApi = Requests.browser("192.0.2.6", "sqlmap/1.7").path("/api/items").build();
    RequestFacts sqlmapHome = Requests.browser("192.0.2.6", "sqlmap/1.7").path("/").build();
    Gatehouse byPath = engine(dir, """
        gatehouse.config-rule.api.expression=starts_with(http.request.uri.path, "/api/")
        gatehouse.config-rule.api.set=browser_integrity_check=off
        """);
    assertThat(byPath.decide(sqlmapApi).action()).isEqualTo(Action.ALLOW);
    assertThat(byPath.decide(sqlmapHome).action()).isEqualTo(Action.BLOCK);
    Gatehouse off = engine(dir, "gatehouse.browser-integrity-check=off\n");
    assertThat(off.decide(sqlmapHome).action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void aVerifiedCrawlerSkipsTheCheckAndTheSecurityLevelAndIsCfClientBot(@TempDir Path dir) throws Exception {
    Gatehouse g = engine(dir, """
        gatehouse.rule.only-real-bots.expression=http.request.uri.path eq "/bots-only" and not cf.client.bot
        gatehouse.rule.only-real-bots.action=block
        """);
    RequestFacts real = RequestFacts.builder().peer("66.249.66.1").path("/bots-only")
        .header("User-Agent", GOOGLEBOT).header("Accept", "*/*").build();
    // Until DNS answers, the claim is an ordinary visitor: here listed in the feed, so blocked.
    Decision first = g.decide(real);
    assertThat(first.action()).isEqualTo(Action.BLOCK);
    answerDns(g, real);
    assertThat(g.decide(real).action()).isEqualTo(Action.ALLOW);
    Explanation x = g.explain(real);
    assertThat(phase(x, "browser_integrity_check").details())
        .anySatisfy(d -> assertThat(d).startsWith("verified crawler Googlebot"));
    assertThat(phase(x, "security_level").outcome()).isEqualTo("skipped");
  }

  @Test
  void aCrawlerInItsPublishedRangesIsVerifiedWithoutDns(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("googlebot.json"), """
        {"creationTime": "2026-11-20T00:00:00.000000", "prefixes": [
          {"ipv4Prefix": "66.249.64.0/27"}, {"ipv6Prefix": "2001:4860:4801:10::/64"}]}
        """);
    Gatehouse g = engine(dir, "gatehouse.bots.verify-dns=off\ngatehouse.bots.ranges.googlebot=googlebot.json\n");
    RequestFacts real = RequestFacts.builder().peer("66.249.64.5").header("User-Agent", GOOGLEBOT).build();
    assertThat(g.decide(real).action()).as("verified at once, listed or not").isEqualTo(Action.ALLOW);
  }

  @Test
  void anImpostorFailsOnceDnsHasSpoken(@TempDir Path dir) throws Exception {
    Gatehouse g = engine(dir, "gatehouse.security-level=off\n");
    RequestFacts fake = RequestFacts.builder().peer("203.0.113.66").header("User-Agent", GOOGLEBOT).build();
    assertThat(g.decide(fake).action()).as("pending: an ordinary visitor").isEqualTo(Action.ALLOW);
    answerDns(g, fake);
    Decision d = g.decide(fake);
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.ruleId()).isEqualTo("fake_search_engine_bot");
    assertThat(d.description()).contains("Googlebot");
  }

  @Test
  void unknownCrawlerNamesInRangesAreConfigurationErrors(@TempDir Path dir) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine(dir, "gatehouse.bots.ranges.gogglebot=x.json\n"))
        .hasMessageContaining("gatehouse.bots.ranges.gogglebot: 'gogglebot' is not a known crawler: googlebot,");
  }

  private static Explanation.PhaseTrace phase(Explanation x, String id) {
    return x.phases().stream().filter(p -> p.phase().equals(id)).findFirst().orElseThrow();
  }
}
