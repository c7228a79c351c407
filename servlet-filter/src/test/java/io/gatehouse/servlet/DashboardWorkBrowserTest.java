package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.Browser;
import io.gatehouse.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site owner working in the dashboard, in a real browser: signing in through a form, paging through
 * events with local time beside UTC and no geo column without geo data, blocking a visitor's network from
 * an event, finding and deleting that rule, exporting the filtered events.
 */
class DashboardWorkBrowserTest {

  private static final Path SHOTS = Path.of("target", "screenshots");

  @TempDir
  Path dir;

  @BeforeEach
  void needsABrowser() {
    Chromium.require();
  }

  @Test
  void theOwnerPagesActsOnAnEventManagesRulesAndExports() throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.reload.interval=off
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.admin.token=%s
        gatehouse.access-rules.file=rules.json
        gatehouse.access-rule.scanners=block ip 203.0.113.0/24 "scanner range"
        """.formatted(AdminEndpointsTest.TOKEN));
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g)); Browser browser = Browser.launch()) {
      for (int i = 0; i < 60; i++) {
        jetty.get("/probe-" + i, "X-Forwarded-For", "203.0.113." + (i % 7 + 1), "User-Agent", "=cmd|' /C calc'!A0");
      }
      jetty.get("/", "X-Forwarded-For", "198.51.100.77");

      Browser.Page page = browser.newPage();
      page.viewport(1280, 1000);
      page.navigate(jetty.uri("/__gatehouse/").toString());
      assertThat(page.text("document.getElementById('token').form.id")).isEqualTo("login-form");
      page.type("#token", AdminEndpointsTest.TOKEN);
      page.click("#signin");
      page.waitFor("document.querySelectorAll('#events-table tbody tr.event').length === 50", Duration.ofSeconds(15));
      assertThat(page.text("document.getElementById('events-note').textContent")).startsWith("Events 1–50 of 60");
      assertThat(page.text("document.querySelector('#events-table tbody tr.event td').textContent"))
          .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}.+ local");
      assertThat(page.text("getComputedStyle(document.querySelector('#events-table th.geo')).display"))
          .as("no geo data, no geo column").isEqualTo("none");
      assertThat(page.text("String(document.getElementById('asn-card').hidden)")).isEqualTo("true");
      page.click("#older");
      page.waitFor("document.querySelectorAll('#events-table tbody tr.event').length === 10", Duration.ofSeconds(5));
      page.click("#newer");
      page.waitFor("document.querySelectorAll('#events-table tbody tr.event').length === 50", Duration.ofSeconds(5));

      // From an event: challenge the visitor's whole network.
      page.click("#events-table tbody tr.event");
      page.waitFor("document.querySelector('tr.details .quick-add') !== null", Duration.ofSeconds(5));
      page.evaluate("(() => { const d = document.querySelector('tr.details');"
          + " d.querySelector('.quick-action').value = 'challenge'; d.querySelector('.quick-target').value = '1';"
          + " d.querySelector('.quick-note').value = 'noisy range, from the dashboard'; })()");
      assertThat(page.text("document.querySelector('tr.details .quick-target').selectedOptions[0].textContent"))
          .matches("its network 203\\.0\\.113\\.0/24");
      page.click("tr.details .quick-add");
      page.waitFor("document.querySelector('tr.details .quick-result') !== null", Duration.ofSeconds(15));
      assertThat(page.text("document.querySelector('tr.details .quick-result').textContent"))
          .startsWith("Added: rule ").contains("(challenge ip 203.0.113.0/24)");
      page.waitFor("document.querySelectorAll('#rules-table tbody tr.rule').length === 2", Duration.ofSeconds(10));
      page.screenshot(SHOTS.resolve("dashboard-quick-action.png"), true);

      // Find it among the rules and delete it (two clicks: the first asks).
      page.type("#rules-search", "from the dashboard");
      assertThat(page.text("document.querySelectorAll('#rules-table tbody tr.rule').length + ''")).isEqualTo("1");
      assertThat(page.text("document.getElementById('rules-note').textContent")).startsWith("1 of 2 rules");
      assertThat(page.text("String(document.querySelector('#rules-table tr.rule .rule-delete') !== null)")).isEqualTo("true");
      page.click("#rules-table tr.rule .rule-delete");
      assertThat(page.text("document.querySelector('#rules-table tr.rule .rule-delete').textContent")).startsWith("Delete ");
      page.click("#rules-table tr.rule .rule-delete");
      page.type("#rules-search", "");
      page.waitFor("document.querySelectorAll('#rules-table tbody tr.rule').length === 1", Duration.ofSeconds(10));
      assertThat(page.text("document.querySelector('#rules-table tr.rule').textContent")).contains("scanners");
      assertThat(page.text("String(document.querySelector('#rules-table tr.rule .rule-delete'))"))
          .as("a rule of the properties file is changed there").isEqualTo("null");
      assertThat(g.accessRules()).hasSize(1);

      // Export what the filters match, every page of it.
      page.type("#filter-ip", "203.0.113.1");
      page.click("#apply-filters");
      page.waitFor("document.getElementById('events-note').textContent.includes('of 9,')", Duration.ofSeconds(10));
      page.evaluate("(() => { window.__blobs = []; const o = URL.createObjectURL;"
          + " URL.createObjectURL = b => { window.__blobs.push(b); return o.call(URL, b); }; })()");
      page.click("#export-csv");
      page.click("#export-json");
      String csv = page.text("window.__blobs[0].text()");
      assertThat(csv.split("\r\n")).hasSize(10);
      assertThat(csv).startsWith("ray_id,time,action,source,rule_id,").doesNotContain("\n=cmd")
          .contains(",'=cmd|' /C calc'!A0,");
      assertThat(page.text("window.__blobs[1].text().then(t => String(JSON.parse(t).events.length))")).isEqualTo("9");
    }
  }
}
