package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.SecurityEvent;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The office story over real HTTP: one infected device behind an office address misbehaves; its
 * neighbours are let through or challenged, never hard-blocked; a neighbour solves the challenge and
 * stays in while the device goes on; the device stays refused.
 */
class SharedAddressEndToEndTest {

  private static final String OFFICE = "203.0.113.5";
  private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
      + " Gecko) Chrome/131.0.0.0 Safari/537.36";
  private static final String FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101"
      + " Firefox/133.0";
  private static final String SQLMAP = "sqlmap/1.7.2#stable (https://sqlmap.org)";
  private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

  private static Gatehouse engine(Path dir, String extra) throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.challenge.secret=0123456789abcdef0123456789abcdef-e2e
        gatehouse.challenge.difficulty=8
        gatehouse.rule.probes.expression=http.request.uri.path in {"/wp-login.php" "/.env" "/xmlrpc.php"}
        gatehouse.rule.probes.action=block
        """ + extra);
    return Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
  }

  private static HttpResponse<String> browse(JettyFixture jetty, String path, String agent, String... more)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(jetty.uri(path)).header("X-Forwarded-For", OFFICE)
        .header("User-Agent", agent).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("Accept-Language", "en-GB,en;q=0.9");
    for (int i = 0; i + 1 < more.length; i += 2) {
      b.header(more[i], more[i + 1]);
    }
    return jetty.send(b.build());
  }

  private static void misbehave(JettyFixture jetty) throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(browse(jetty, "/item/" + i, SQLMAP).statusCode()).isEqualTo(403);
    }
    for (String probe : new String[] {"/wp-login.php", "/.env", "/xmlrpc.php"}) {
      assertThat(browse(jetty, probe, SQLMAP).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void oneDeviceNeverHardBlocksItsNeighbours(@TempDir Path dir) throws Exception {
    Gatehouse g = engine(dir, "");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      misbehave(jetty);
      assertThat(browse(jetty, "/", CHROME).statusCode()).isEqualTo(200);
      assertThat(browse(jetty, "/", FIREFOX).statusCode()).isEqualTo(200);
      HttpResponse<String> device = browse(jetty, "/", SQLMAP);
      assertThat(device.statusCode()).isEqualTo(403);
      assertThat(device.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(device.headers().firstValue("Gatehouse-Mitigated")).isEmpty();
    }
  }

  @Test
  void aNeighbourSolvesTheChallengeOnAPoisonedAddressAndStaysIn(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("feed.netset"), OFFICE + "\n");
    Gatehouse g = engine(dir, "gatehouse.reputation.feed.f.source=feed.netset\ngatehouse.reputation.feed.f.score=40\n");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> page = browse(jetty, "/orders", FIREFOX);
      assertThat(page.statusCode()).isEqualTo(403);
      assertThat(page.headers().firstValue("Gatehouse-Mitigated")).contains("challenge");
      Matcher t = TOKEN.matcher(page.body());
      assertThat(t.find()).isTrue();
      String token = t.group(1);
      HttpResponse<String> solved = jetty.send(HttpRequest.newBuilder(jetty.uri("/__gatehouse-challenge"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", OFFICE)
          .header("User-Agent", FIREFOX).POST(HttpRequest.BodyPublishers.ofString("token="
              + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&counter="
              + ChallengeEndToEndTest.solve(token, 8) + "&ms=120")).build());
      assertThat(solved.statusCode()).isEqualTo(303);
      String setCookie = solved.headers().firstValue("Set-Cookie").orElseThrow();
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      for (int round = 0; round < 3; round++) {
        misbehave(jetty);
        HttpResponse<String> neighbour = browse(jetty, "/orders", FIREFOX, "Cookie", cookie);
        assertThat(neighbour.statusCode()).isEqualTo(200);
        assertThat(neighbour.body()).isEqualTo("app saw /orders");
      }
      assertThat(browse(jetty, "/", CHROME).headers().firstValue("Gatehouse-Mitigated"))
          .as("a neighbour without clearance is challenged, not blocked").contains("challenge");
      assertThat(browse(jetty, "/", SQLMAP).headers().firstValue("Gatehouse-Error")).contains("1012");
    }
  }

  @Test
  void aFeedListingChallengesByDefaultAndBlocksWhenTheFeedSaysSo(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("hijacked.netset"), "198.51.100.0/24\n");
    Files.writeString(dir.resolve("proxies.netset"), OFFICE + "\n");
    Gatehouse g = engine(dir, """
        gatehouse.reputation.feed.proxies.source=proxies.netset
        gatehouse.reputation.feed.hijacked.source=hijacked.netset
        gatehouse.reputation.feed.hijacked.action=block
        """);
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      assertThat(browse(jetty, "/", CHROME).headers().firstValue("Gatehouse-Mitigated")).contains("challenge");
      HttpResponse<String> hijacked = jetty.get("/", "X-Forwarded-For", "198.51.100.7", "User-Agent", CHROME,
          "Accept", "text/html");
      assertThat(hijacked.statusCode()).isEqualTo(403);
      assertThat(hijacked.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(hijacked.headers().firstValue("Gatehouse-Mitigated")).isEmpty();
    }
  }

  @Test
  void aTrustedProxysOwnRequestsNeverLockOutItsAddress(@TempDir Path dir) throws Exception {
    Gatehouse g = engine(dir, "gatehouse.security-level.action=block\n");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      for (int i = 0; i < 30; i++) {
        // The load balancer's health check: no forwarding header, no User-Agent.
        jetty.send(HttpRequest.newBuilder(jetty.uri("/health")).header("User-Agent", "").build());
      }
      assertThat(jetty.get("/", "User-Agent", CHROME, "Accept", "text/html").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aCampusAddressWithADozenBrowsersIsDetectedAsShared(@TempDir Path dir) throws Exception {
    Gatehouse g = engine(dir, "");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      for (int i = 0; i < 12; i++) {
        assertThat(browse(jetty, "/", CHROME.replace("131.0.0.0", "131.0.0." + i)).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> probe = browse(jetty, "/.env", CHROME);
      assertThat(probe.statusCode()).isEqualTo(403);
      SecurityEvent e = g.events().findByRay(probe.headers().firstValue("Gatehouse-Ray").orElseThrow()).orElseThrow();
      assertThat(e.sharedIp()).isTrue();
      assertThat(e.sharedHow()).isEqualTo("detected");
    }
  }
}
