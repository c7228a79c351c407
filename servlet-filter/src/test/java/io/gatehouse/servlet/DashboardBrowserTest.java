package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.Browser;
import io.gatehouse.testing.Chromium;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site owner's minute, in a real browser: a visitor is blocked, the owner looks up the Ray ID from the
 * visitor's page in the dashboard, sees the cause, clicks "Allow this IP", and the visitor gets through.
 */
class DashboardBrowserTest {

  private static final Path SHOTS = Path.of("target", "screenshots");

  @TempDir
  Path dir;

  @BeforeEach
  void needsABrowser() {
    Chromium.require();
  }

  @Test
  void aBlockedVisitorIsFoundByRayIdAndAllowedWithOneClick() throws Exception {
    Files.writeString(dir.resolve("feed.netset"), "198.51.100.0/24\n");
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.reload.interval=off
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.admin.token=%s
        gatehouse.access-rules.file=rules.json
        gatehouse.reputation.feed.blocklist.source=feed.netset
        gatehouse.reputation.feed.blocklist.score=70
        gatehouse.access-rule.scanners=block ip 203.0.113.0/24 "scanner range"
        """.formatted(AdminEndpointsTest.TOKEN));
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g)); Browser browser = Browser.launch()) {
      // Some traffic, including a hostile User-Agent that must show as text.
      jetty.get("/wp-login.php", "X-Forwarded-For", "203.0.113.50", "User-Agent", "<img src=x onerror=alert(1)>");
      jetty.get("/", "X-Forwarded-For", "203.0.113.51");
      HttpResponse<String> visitor = jetty.get("/pricing", "X-Forwarded-For", "198.51.100.77",
          "User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36");
      assertThat(visitor.statusCode()).isEqualTo(403);
      String ray = visitor.headers().firstValue("Gatehouse-Ray").orElseThrow();
      assertThat(visitor.body()).contains(ray);

      Browser.Page page = browser.newPage();
      page.viewport(1280, 1000);
      page.navigate(jetty.uri("/__gatehouse/").toString());
      page.type("#token", AdminEndpointsTest.TOKEN);
      page.click("#signin");
      page.waitFor("document.querySelectorAll('#events-table tbody tr.event').length === 3", Duration.ofSeconds(15));
      page.waitFor("document.querySelector('#chart svg rect') !== null", Duration.ofSeconds(10));
      assertThat(page.text("document.getElementById('status').textContent")).contains("1 access rule");
      assertThat(page.text("document.getElementById('top-ips').textContent")).contains("198.51.100.77");
      assertThat(page.text("document.querySelectorAll('img').length + ''")).isEqualTo("0");
      page.screenshot(SHOTS.resolve("dashboard.png"), true);

      page.type("#ray-input", ray);
      page.click("#ray-lookup");
      page.waitFor("document.getElementById('ray-result').textContent.includes('security_level')",
          Duration.ofSeconds(10));
      String result = page.text("document.getElementById('ray-result').textContent");
      assertThat(result).contains("threat score 70").contains("listed by [blocklist 70]").contains("198.51.100.77");
      page.screenshot(SHOTS.resolve("dashboard-ray-lookup.png"), true);

      page.type("#ray-result .allow-note", "customer on a poisoned shared address");
      page.click("#ray-result .allow-ip");
      page.waitFor("document.querySelector('#ray-result .allow-result') !== null", Duration.ofSeconds(15));
      assertThat(page.text("document.querySelector('#ray-result .allow-result').textContent"))
          .startsWith("Allowed: rule ").contains("allow ip 198.51.100.77");
      page.screenshot(SHOTS.resolve("dashboard-allowed.png"), true);

      HttpResponse<String> again = jetty.get("/pricing", "X-Forwarded-For", "198.51.100.77");
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(Files.readString(dir.resolve("rules.json"))).contains("customer on a poisoned shared address");

      // The explain form shows the new rule deciding.
      page.type("#explain-ip", "198.51.100.77");
      page.click("#explain-run");
      page.waitFor("document.getElementById('explain-result').textContent.includes('access_rules')",
          Duration.ofSeconds(10));
      assertThat(page.text("document.getElementById('explain-result').textContent")).contains("allow")
          .contains("threat score").contains("70");
      page.screenshot(SHOTS.resolve("dashboard-explain.png"), true);

      // A wrong token is refused and sends the owner back to sign in.
      page.evaluate("sessionStorage.setItem('gatehouse.token', 'wrong-token-wrong-token'); 1");
      page.click("#refresh");
      page.waitFor("!document.getElementById('login').hidden", Duration.ofSeconds(10));
      assertThat(page.text("document.getElementById('login-error').textContent")).contains("not accepted");
    }
  }
}
