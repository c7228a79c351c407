package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 1012 page as a person sees it, in headless Chromium. Screenshots are left in
 * {@code target/screenshots} to look at.
 */
class ErrorPageBrowserTest {

  private static final Path SHOTS = Path.of("target", "screenshots");

  @BeforeEach
  void needsABrowser() {
    Chromium.require();
  }

  @Test
  void theBlockPageRendersInARealBrowser() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("browser.properties", """
        gatehouse.node-id=web1
        gatehouse.page.site-name=Demo Shop
        gatehouse.page.contact=security@shop.example
        gatehouse.access-rule.me=block ip 127.0.0.1 "browser test"
        """)).environment(Map.of()).build();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      String url = jetty.uri("/checkout").toString();
      String dom = Chromium.dumpDom(url);
      assertThat(dom).contains("Error 1012").contains("Access denied").contains("What happened?")
          .contains("What can I do?").contains("Your IP: 127.0.0.1").contains("Demo Shop")
          .contains("security@shop.example");
      assertThat(dom).containsPattern("Gatehouse Ray ID: <strong>[0-9a-f]{16}-web1</strong>");

      Path desktop = SHOTS.resolve("error-1012-desktop.png");
      Path mobile = SHOTS.resolve("error-1012-mobile.png");
      Chromium.screenshot(url, desktop, 1280, 800);
      Chromium.screenshot(url, mobile, 390, 844);
      assertThat(Files.size(desktop)).isGreaterThan(10_000);
      assertThat(Files.size(mobile)).isGreaterThan(10_000);
    }
  }

  @Test
  void theRateLimitPageRendersInARealBrowser() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("browser.properties", """
        gatehouse.page.site-name=Demo Shop
        gatehouse.rate-limit.all.expression=http.request.uri.path eq "/search"
        gatehouse.rate-limit.all.characteristics=ip.src
        gatehouse.rate-limit.all.period=10s
        gatehouse.rate-limit.all.requests=1
        gatehouse.rate-limit.all.mitigation-timeout=2m
        """)).environment(Map.of()).build();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      String url = jetty.uri("/search").toString();
      assertThat(jetty.get("/search").statusCode()).isEqualTo(200);
      String dom = Chromium.dumpDom(url);
      assertThat(dom).contains("Error 1015").contains("You are being rate limited").contains("Demo Shop")
          .contains("Wait 2 minutes and try again");
      Path desktop = SHOTS.resolve("error-1015-desktop.png");
      Chromium.screenshot(url, desktop, 1280, 800);
      assertThat(Files.size(desktop)).isGreaterThan(10_000);
    }
  }
}
