package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fields the rules language reads from the engine: body, connection, geo, Tor, bots, Ray ID, secrets. */
class RulesLanguageFieldsTest {

  @TempDir
  Path dir;

  static Gatehouse engine(String properties) throws ConfigException {
    return Gatehouse.builder().config(ConfigSource.text("r.properties", properties)).environment(Map.of())
        .watchFiles(false).build();
  }

  private static RequestFacts.Builder browser(String ip, String uri) {
    return RequestFacts.builder().peer(ip).host("shop.example").uri(uri)
        .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header("Accept-Language", "en-GB,en;q=0.5").header("Accept-Encoding", "gzip, deflate, br")
        .header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Site", "none").header("Sec-Fetch-Dest", "document")
        .header("Sec-Fetch-User", "?1").header("Upgrade-Insecure-Requests", "1");
  }

  @Test
  void aRuleThatReadsTheBodyWithoutInspectionIsAConfigurationError() {
    assertThatThrownBy(() -> engine("""
        gatehouse.rule.sqli.expression=http.request.body.raw contains "DROP TABLE"
        gatehouse.rule.sqli.action=block
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("r.properties:1: gatehouse.rule.sqli.expression:"
            + " http.request.body.raw reads the request body, which is not inspected: set"
            + " gatehouse.body.inspect-bytes to how many bytes of it the rules may read");
  }

  @Test
  void theBodyIsBufferedOnlyWhenARuleReadsIt() throws Exception {
    try (Gatehouse reads = engine("""
        gatehouse.body.inspect-bytes=1024
        gatehouse.rule.sqli.expression=http.request.body.raw contains "DROP TABLE"
        gatehouse.rule.sqli.action=block
        """); Gatehouse ignores = engine("""
        gatehouse.body.inspect-bytes=1024
        gatehouse.rule.admin.expression=http.request.uri.path eq "/admin"
        gatehouse.rule.admin.action=block
        """)) {
      assertThat(reads.bodyInspectBytes()).isEqualTo(1024);
      assertThat(ignores.bodyInspectBytes()).as("no rule reads the body").isZero();
      byte[] body = "q=1; DROP TABLE users".getBytes(StandardCharsets.UTF_8);
      assertThat(reads.decide(browser("203.0.113.5", "/search").method("POST").body(body, body.length, false).build())
          .action()).isEqualTo(Action.BLOCK);
      assertThat(reads.decide(browser("203.0.113.5", "/search").method("POST").build()).action())
          .as("no body buffered: the fields are missing").isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void aCityFieldNeedsACityDatabase() {
    assertThatThrownBy(() -> engine("""
        gatehouse.rule.local.expression=ip.src.city eq "London"
        gatehouse.rule.local.action=block
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("r.properties:1: gatehouse.rule.local.expression:"
            + " ip.src.city needs a city database: set gatehouse.geo.country-database to a MaxMind city database"
            + " (GeoLite2-City or GeoIP2-City)");
  }

  @Test
  void aCountryDatabaseFillsTheEuropeanUnionButNoCity() throws Exception {
    Path mmdb = dir.resolve("country.mmdb");
    try (var in = getClass().getResourceAsStream("/geo/GeoIP2-Country-Test.mmdb")) {
      Files.copy(in, mmdb);
    }
    try (Gatehouse g = engine("gatehouse.geo.country-database=" + mmdb + "\n"
        + "gatehouse.rule.eu.expression=ip.src.is_in_european_union\ngatehouse.rule.eu.action=block\n")) {
      assertThat(g.decide(browser("89.160.20.115", "/").build()).action()).as("Sweden").isEqualTo(Action.BLOCK);
      assertThat(g.decide(browser("81.2.69.142", "/").build()).action()).as("the United Kingdom")
          .isEqualTo(Action.ALLOW);
    }
    assertThatThrownBy(() -> engine("gatehouse.geo.country-database=" + mmdb + "\n"
        + "gatehouse.rule.x.expression=ip.geoip.city eq \"Boxford\"\ngatehouse.rule.x.action=block\n"))
        .hasMessageContaining("ip.src.city needs a city database");
  }

  @Test
  void anAddressOnATorExitFeedIsInCountryAndContinentT1() throws Exception {
    Path exits = dir.resolve("exit-addresses");
    Files.writeString(exits, """
        ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E
        Published 2026-11-24 22:01:18
        LastStatus 2026-11-25 01:00:00
        ExitAddress 192.0.2.44 2026-11-25 01:06:23
        """);
    try (Gatehouse g = engine("gatehouse.reputation.feed.tor.source=" + exits + "\n"
        + "gatehouse.reputation.feed.tor.format=tor-exits\ngatehouse.reputation.feed.tor.score=1\n"
        + "gatehouse.security-level=off\n"
        + "gatehouse.rule.tor.expression=(ip.src.continent eq \"T1\") and ip.src.country eq \"T1\"\n"
        + "gatehouse.rule.tor.action=block\n")) {
      assertThat(g.decide(browser("192.0.2.44", "/").build()).ruleId()).isEqualTo("tor");
      assertThat(g.decide(browser("192.0.2.45", "/").build()).action()).isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void theBotScoreTellsAScriptFromABrowser() throws Exception {
    try (Gatehouse g = engine("""
        gatehouse.browser-integrity-check=off
        gatehouse.rule.bots.expression=cf.bot_management.score lt 30 and not cf.bot_management.verified_bot and not cf.bot_management.static_resource
        gatehouse.rule.bots.action=block
        """)) {
      assertThat(g.decide(browser("203.0.113.7", "/login").build()).action()).isEqualTo(Action.ALLOW);
      RequestFacts curl = RequestFacts.builder().peer("203.0.113.7").host("shop.example").uri("/login")
          .header("User-Agent", "curl/8.5.0").header("Accept", "*/*").build();
      assertThat(g.decide(curl).ruleId()).isEqualTo("bots");
      RequestFacts asset = RequestFacts.builder().peer("203.0.113.7").host("shop.example").uri("/app.js")
          .header("User-Agent", "curl/8.5.0").build();
      assertThat(g.decide(asset).action()).as("a static resource").isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void aRuleSeesTheRayIdTheDecisionCarries() throws Exception {
    try (Gatehouse g = engine("""
        gatehouse.rule.ray.expression=len(cf.ray_id) eq 16 and starts_with(http.request.uri.path, "/")
        gatehouse.rule.ray.action=log
        """)) {
      Decision d = g.decide(browser("203.0.113.8", "/").build());
      assertThat(g.events().query(new EventLog.Query(null, d.rayId(), null, null, null, 10))).hasSize(1);
    }
  }

  @Test
  void theTimestampAndASecretFromTheConfigurationCheckASignedUrl() throws Exception {
    long issued = 1_767_225_600L;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("a-signing-key-of-some-length".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String token = java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(
        mac.doFinal(("/files/report.pdf" + issued).getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
    Clock clock = Clock.fixed(Instant.ofEpochSecond(issued + 60), ZoneOffset.UTC);
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.text("r.properties", """
        gatehouse.hmac.downloads=a-signing-key-of-some-length
        gatehouse.rule.signed.expression=starts_with(http.request.uri.path, "/files/") and not is_timed_hmac_valid_v0("downloads", http.request.uri, 3600, http.request.timestamp.sec, 8)
        gatehouse.rule.signed.action=block
        """)).environment(Map.of()).watchFiles(false).clock(clock).build()) {
      assertThat(g.decide(browser("203.0.113.9", "/files/report.pdf?verify=" + issued + "-" + token).build())
          .action()).isEqualTo(Action.ALLOW);
      assertThat(g.decide(browser("203.0.113.9", "/files/other.pdf?verify=" + issued + "-" + token).build())
          .action()).isEqualTo(Action.BLOCK);
      assertThat(g.decide(browser("203.0.113.9", "/files/report.pdf").build()).action()).isEqualTo(Action.BLOCK);
    }
  }

  @Test
  void aListDefinedUnderAManagedListsNamePastesInUnchanged() throws Exception {
    try (Gatehouse g = engine("""
        gatehouse.list.cf.open_proxies=198.51.100.0/24
        gatehouse.rule.proxies.expression=(ip.src in $cf.open_proxies)
        gatehouse.rule.proxies.action=block
        """)) {
      assertThat(g.decide(browser("198.51.100.5", "/").build()).ruleId()).isEqualTo("proxies");
      assertThat(g.decide(browser("203.0.113.5", "/").build()).action()).isEqualTo(Action.ALLOW);
    }
    assertThatThrownBy(() -> engine("gatehouse.rule.p.expression=ip.src in $cf.vpn\ngatehouse.rule.p.action=block\n"))
        .hasMessageContaining("unknown list $cf.vpn; Cloudflare's managed lists are not available here, define one of"
            + " your own under its name as gatehouse.list.cf.vpn");
  }

  @Test
  void thePathIsNormalisedAndTheRawPathIsAsSent() throws Exception {
    try (Gatehouse g = engine("""
        gatehouse.rule.admin.expression=http.request.uri.path eq "/admin"
        gatehouse.rule.admin.action=block
        gatehouse.rule.dots.expression=raw.http.request.uri.path contains "/../"
        gatehouse.rule.dots.action=challenge
        """)) {
      assertThat(g.decide(browser("203.0.113.10", "/a/../%61dmin").build()).ruleId()).isEqualTo("admin");
      assertThat(g.decide(browser("203.0.113.10", "//admin").build()).ruleId()).isEqualTo("admin");
      assertThat(g.decide(browser("203.0.113.10", "/b/../c").build()).ruleId()).isEqualTo("dots");
    }
  }

  @Test
  void theVersionIsNamedAsTheCdnNamesIt() throws Exception {
    try (Gatehouse g = engine("""
        gatehouse.rule.h2.expression=http.request.version eq "HTTP/2"
        gatehouse.rule.h2.action=block
        """)) {
      assertThat(g.decide(browser("203.0.113.12", "/").protocol("HTTP/2.0").build()).ruleId()).isEqualTo("h2");
      assertThat(g.decide(browser("203.0.113.12", "/").protocol("HTTP/1.1").build()).action())
          .isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void sslIsWhatTheVisitorUsedAsTheTrustedProxySays() throws Exception {
    try (Gatehouse g = engine("""
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=10.0.0.0/8
        gatehouse.rule.plain.expression=not ssl
        gatehouse.rule.plain.action=block
        """)) {
      assertThat(g.decide(browser("10.0.0.2", "/").header("X-Forwarded-For", "203.0.113.11")
          .header("X-Forwarded-Proto", "https").build()).action()).isEqualTo(Action.ALLOW);
      assertThat(g.decide(browser("10.0.0.2", "/").header("X-Forwarded-For", "203.0.113.11").build()).action())
          .isEqualTo(Action.BLOCK);
      assertThat(g.decide(browser("203.0.113.11", "/").scheme("https").build()).action()).isEqualTo(Action.ALLOW);
    }
  }
}
