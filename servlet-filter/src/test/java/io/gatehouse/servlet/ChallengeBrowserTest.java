package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.testing.Browser;
import io.gatehouse.testing.Chromium;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The challenge in a real browser: headless Chromium, behind a simulated trusted proxy that says the
 * visitor comes from a shared (carrier-grade NAT) address with a bad reputation. The browser solves the
 * challenge by itself, lands on the page, and its next visit passes on the cookie.
 */
class ChallengeBrowserTest {

  private static final Path SHOTS = Path.of("target", "screenshots");

  @TempDir
  Path dir;

  @BeforeEach
  void needsABrowser() {
    Chromium.require();
  }

  private Gatehouse engine(String extra) throws Exception {
    Files.writeString(dir.resolve("bad.netset"), "100.64.3.0/24\n");
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1, ::1
        gatehouse.challenge.secret=browser-test-secret-long-enough-0123456789
        gatehouse.page.site-name=Demo Shop
        gatehouse.reputation.feed.bad.source=bad.netset
        gatehouse.reputation.feed.bad.score=80
        """ + extra);
    return Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
  }

  /** Stands in for a trusted reverse proxy: every request arrives with this X-Forwarded-For. */
  static Filter forwardedFor(String address) {
    return new Filter() {
      @Override
      public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
          throws IOException, ServletException {
        chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
          @Override
          public String getHeader(String name) {
            return name.equalsIgnoreCase("X-Forwarded-For") ? address : super.getHeader(name);
          }

          @Override
          public Enumeration<String> getHeaders(String name) {
            return name.equalsIgnoreCase("X-Forwarded-For") ? Collections.enumeration(List.of(address))
                : super.getHeaders(name);
          }

          @Override
          public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
            names.add("X-Forwarded-For");
            return Collections.enumeration(names);
          }
        }, response);
      }
    };
  }

  private List<SecurityEvent> events(Gatehouse g, String action) {
    return g.events().query(new EventLog.Query(null, null, action, null, null, 100));
  }

  @Test
  void aVisitorBehindAPoisonedSharedAddressSolvesTheChallengeAndGetsThrough() throws Exception {
    Gatehouse g = engine("");
    try (JettyFixture jetty = JettyFixture.withFilters(new GatehouseFilter(g), forwardedFor("100.64.3.9"));
        Browser browser = Browser.launch()) {
      Browser.Page page = browser.newPage();
      page.navigate(jetty.uri("/welcome?from=ad").toString());
      page.waitFor("document.body && document.body.innerText.includes('app saw /welcome')", Duration.ofSeconds(30));
      assertThat(page.text("location.pathname + location.search")).isEqualTo("/welcome?from=ad");
      List<SecurityEvent> challenged = events(g, "challenge");
      assertThat(challenged).singleElement().satisfies(e -> {
        assertThat(e.source().id()).isEqualTo("security_level");
        assertThat(e.sharedIp()).isTrue();
        assertThat(e.clientIp()).isEqualTo("100.64.3.9");
      });
      SecurityEvent solved = events(g, "challenge_solved").get(0);
      assertThat(solved.description()).contains(challenged.get(0).rayId());
      assertThat(solved.description()).containsPattern("difficulty \\d+, \\d+ ms in the browser");

      page.navigate(jetty.uri("/account").toString());
      assertThat(page.text("document.body.innerText")).contains("app saw /account");
      assertThat(events(g, "challenge")).as("no second challenge: the cookie passed").hasSize(1);
    }
  }

  @Test
  void aVisitorBehindAnAddressPoisonedByItsNeighboursSolvesTheChallengeAndStaysIn() throws Exception {
    Gatehouse g = engine("gatehouse.rule.probes.expression=http.request.uri.path eq \"/.env\"\n"
        + "gatehouse.rule.probes.action=block\n");
    String office = "203.0.113.5";
    // Three infected devices on the office network probe the site.
    for (String device : new String[] {"bot-a/1.0", "bot-b/1.0", "bot-c/1.0"}) {
      for (int i = 0; i < 2; i++) {
        g.decide(RequestFacts.builder().peer("127.0.0.1").header("X-Forwarded-For", office)
            .header("User-Agent", device).path("/.env").build());
      }
    }
    try (JettyFixture jetty = JettyFixture.withFilters(new GatehouseFilter(g), forwardedFor(office));
        Browser browser = Browser.launch()) {
      Browser.Page page = browser.newPage();
      page.navigate(jetty.uri("/cart").toString());
      page.waitFor("document.body && document.body.innerText.includes('app saw /cart')", Duration.ofSeconds(30));
      assertThat(events(g, "challenge")).singleElement().satisfies(e -> {
        assertThat(e.description()).contains("decided by the address's score");
        assertThat(e.addressScore()).isPositive();
        assertThat(e.visitorScore()).isZero();
      });
      assertThat(events(g, "challenge_solved")).hasSize(1);
      // The devices go on; the browser that solved the challenge stays in.
      g.decide(RequestFacts.builder().peer("127.0.0.1").header("X-Forwarded-For", office)
          .header("User-Agent", "bot-a/1.0").path("/.env").build());
      page.navigate(jetty.uri("/checkout").toString());
      assertThat(page.text("document.body.innerText")).contains("app saw /checkout");
      assertThat(events(g, "challenge")).hasSize(1);
    }
  }

  @Test
  void underAttackTheSameWay() throws Exception {
    Gatehouse g = engine("gatehouse.security-level=under_attack\n");
    try (JettyFixture jetty = JettyFixture.withFilters(new GatehouseFilter(g), forwardedFor("198.51.100.23"));
        Browser browser = Browser.launch()) {
      Browser.Page page = browser.newPage();
      page.navigate(jetty.uri("/").toString());
      page.waitFor("document.body && document.body.innerText.includes('app saw /')", Duration.ofSeconds(30));
      assertThat(events(g, "challenge")).singleElement()
          .satisfies(e -> assertThat(e.ruleId()).isEqualTo("under_attack"));
      page.navigate(jetty.uri("/next").toString());
      assertThat(page.text("document.body.innerText")).contains("app saw /next");
      assertThat(events(g, "challenge")).hasSize(1);
    }
  }

  @Test
  void screenshotsOfThePageWithAndWithoutScripts() throws Exception {
    // Hard enough that the page is still working when the screenshot is taken.
    Gatehouse g = engine("gatehouse.challenge.difficulty=24\n");
    try (JettyFixture jetty = JettyFixture.withFilters(new GatehouseFilter(g), forwardedFor("100.64.3.9"));
        Browser browser = Browser.launch()) {
      String url = jetty.uri("/checkout").toString();
      Browser.Page page = browser.newPage();
      page.viewport(1280, 800);
      page.navigate(url);
      page.screenshot(SHOTS.resolve("challenge-desktop.png"), false);
      page.viewport(390, 844);
      page.navigate(url);
      page.screenshot(SHOTS.resolve("challenge-mobile.png"), false);

      Browser.Page noScript = browser.newPage();
      noScript.viewport(1280, 800);
      noScript.scriptsDisabled(true);
      noScript.navigate(url);
      noScript.screenshot(SHOTS.resolve("challenge-noscript.png"), false);
      assertThat(noScript.text("document.querySelector('.noscript') ? 'shown' : 'hidden'")).isEqualTo("shown");
      assertThat(noScript.text("document.documentElement.hasAttribute('data-solved') ? 'ran' : 'idle'"))
          .isEqualTo("idle");
      assertThat(Files.size(SHOTS.resolve("challenge-desktop.png"))).isGreaterThan(10_000);
    }
  }
}
