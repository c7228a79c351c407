package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.Browser;
import io.gatehouse.testing.Chromium;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real browser is never refused by the Browser Integrity Check, for pages or for its scripts' requests. */
class IntegrityCheckBrowserTest {

  @BeforeEach
  void needsABrowser() {
    Chromium.require();
  }

  @Test
  void headlessChromiumGetsThePageAndItsFetchesPass() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("b", """
        gatehouse.browser-integrity-check=on
        gatehouse.browser-integrity-check.scripting-clients=on
        """)).watchFiles(false).build();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g)); Browser browser = Browser.launch()) {
      Browser.Page page = browser.newPage();
      page.navigate(jetty.uri("/welcome").toString());
      assertThat(page.text("document.body.innerText")).contains("app saw /welcome");
      String fetched = page.text("fetch('/api/items').then(r => r.status + ' ' + r.headers.get('Gatehouse-Error'))");
      assertThat(fetched).isEqualTo("200 null");
      String xhr = page.text("new Promise(ok => { const x = new XMLHttpRequest(); x.open('GET', '/api/xhr');"
          + " x.onload = () => ok(String(x.status)); x.send(); })");
      assertThat(xhr).isEqualTo("200");
      assertThat(g.events().size()).as("nothing refused, nothing recorded").isZero();
      assertThat(jetty.appHits.get()).as("the page, the fetch, the XHR (and the favicon)").isGreaterThanOrEqualTo(3);
    }
  }
}
