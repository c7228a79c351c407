package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.BrowserIntegrityCheck.Result.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * False positives measured on ua-parser's corpus: every browser User-Agent, sent with the headers that
 * browser sends on a navigation, must pass.
 */
class UapCoreCorpusTest {

  /**
   * The families ua-parser assigns to web browsers, including in-app browser views and embedded
   * browser shells that people browse with. Families of mail clients, SDKs, HTTP libraries, media apps,
   * crawlers, monitors and scanners are not here: their requests are not a person's browser.
   */
  static final Set<String> BROWSER_FAMILIES = Set.of(
      "115 Browser", "360 Secure Browser", "AOL", "AOL Desktop Gold Browser", "AOL Shield Browser", "AVG",
      "Agency", "Aloha Browser", "Amazon Silk", "AtContent", "Atom Browser", "Avast Secure Browser", "Avira", "BOLT",
      "Baidu Browser", "Baidu Explorer", "Basilisk", "BlackBerry WebKit", "Brave", "Bunjalloo", "CCleaner",
      "Camoufox", "Chrome", "Chrome Frame", "Chrome Mobile", "Chrome Mobile WebView", "Chrome Mobile iOS",
      "Chromium", "Chromium GOST Browser", "Coc Coc", "Comodo Dragon", "Config", "Conkeror",
      "Craving Explorer Browser", "Crosswalk", "Decentr Web3 Browser", "Dolfin", "Dolphin", "Dragon", "DuckDuckGo",
      "DuckDuckGo Mobile", "Ecosia Android", "Ecosia iOS", "Edge", "Edge Mobile", "Electron", "Espial",
      "FireWeb", "Firefox", "Firefox (Shiretoko)", "Firefox Beta", "Firefox Mobile", "Firefox iOS", "Google",
      "HeadlessChrome", "Herring", "HeyTap Browser", "HiBrowser", "Hola Browser", "Honor Browser",
      "Huawei Browser", "ICE Browser", "IE", "IE Large Screen", "IE Mobile", "IceCat", "Instabridge", "Iron",
      "JiSu Browser", "Kindle", "Konqueror", "Ladybird", "LikeWise", "Lite Browser", "LuaKit",
      "Mail.ru Chromium Browser", "Maxthon", "Midori", "Minimo", "Mint Browser", "MiuiBrowser", "Mobile Safari",
      "Mobile Safari UI/WKWebView", "MozillaDeveloperPreview", "MullvadBrowser", "Mypal Browser", "NCSA Mosaic",
      "NetCast Smart TV", "NetFront", "NetFront NX", "Nokia Browser", "Nokia OSS Browser", "Norton", "ONE Browser",
      "Obigo", "Oculus Browser", "Odin", "Open Wave", "Openwave", "Opera", "Opera Coast", "Opera GX", "Opera Mini",
      "Opera Mobile", "Opera Neon", "Opera Tablet", "Opera Touch", "Otter", "Ovi Browser", "Pale Moon",
      "Phantom Browser", "Phoenix Browser", "Planetweb", "Puffin", "QAX Browser", "QQ Browser", "QQ Browser Mini",
      "QQ Browser Mobile", "Qt Web Engine", "QtCarBrowser", "Quark", "Quark PC", "QupZilla", "Rekonq", "RockMelt",
      "Safari", "Sailfish Browser", "Samsung Internet", "Sber Browser", "Seznam prohlížeč", "Skyfire", "Sleipnir",
      "Smart Lenovo Browser", "SmartTV WebBrowser", "Snowshoe", "Sparrow Browser", "Steam Client", "Steam Deck",
      "Steam GameOverlay", "Talon Cyber Security Browser", "Teleca Browser", "Tenta Browser", "ThunderBrowse",
      "Trailer", "UC Browser", "UP.Browser", "Unique", "Vewd Browser", "Viewer", "Vivaldi", "VivoBrowser",
      "Waterfox", "WeChat Browser", "WeTab", "WebKit Nightly", "Whale", "Wolvic Browser", "Yandex Browser",
      "iBrowser Mini", "mDolphin", "qutebrowser", "webOS Browser");

  private static List<Corpora.UapCase> cases;
  private static CrawlerVerifier verifier;

  @BeforeAll
  static void load() {
    cases = Corpora.uapCases();
    verifier = CrawlerVerifier.builder().resolver(new FakeDns()).build();
  }

  @AfterAll
  static void close() {
    verifier.close();
  }

  private static List<Corpora.UapCase> browsers() {
    return cases.stream().filter(c -> BROWSER_FAMILIES.contains(c.family())).toList();
  }

  @Test
  void corpusReadsCompletely() {
    assertThat(cases).hasSize(1601);
    Set<String> families = new java.util.HashSet<>();
    cases.forEach(c -> families.add(c.family()));
    assertThat(families).containsAll(BROWSER_FAMILIES);
  }

  @Test
  void noBrowserUserAgentFailsWithItsUsualHeaders() {
    List<Corpora.UapCase> browsers = browsers();
    BrowserIntegrityCheck strict = BrowserIntegrityCheck.builder().flagScriptingClients(true).build();
    List<String> falsePositives = new ArrayList<>();
    for (Corpora.UapCase c : browsers) {
      RequestFacts facts = Corpora.browserNavigation(c.userAgent(), true);
      CrawlerVerifier.Status crawler = verifier.claimedCrawler(c.userAgent()) == null ? CrawlerVerifier.Status.NOT_A_CRAWLER
          : CrawlerVerifier.Status.pending(verifier.claimedCrawler(c.userAgent()).name(), "");
      for (BrowserIntegrityCheck check : List.of(BrowserIntegrityCheck.defaults(), strict)) {
        BrowserIntegrityCheck.Result r = check.check(facts, crawler);
        if (r.failed()) {
          falsePositives.add(c.family() + " | " + c.userAgent() + " -> " + r.findings());
        }
      }
    }
    assertThat(browsers).hasSizeGreaterThan(400);
    assertThat(falsePositives).isEmpty();
  }

  @Test
  void noBrowserUserAgentClaimsToBeACrawler() {
    List<String> claims = new ArrayList<>();
    for (Corpora.UapCase c : browsers()) {
      Crawler crawler = verifier.claimedCrawler(c.userAgent());
      if (crawler != null) {
        claims.add(c.family() + " | " + c.userAgent() + " -> " + crawler.name());
      }
    }
    assertThat(claims).isEmpty();
  }

  @Test
  void headlessChromeIsASignalNotAFailure() {
    List<Corpora.UapCase> headless = cases.stream().filter(c -> c.family().equals("HeadlessChrome")).toList();
    assertThat(headless).hasSize(3);
    for (Corpora.UapCase c : headless) {
      BrowserIntegrityCheck.Result r = BrowserIntegrityCheck.defaults().check(Corpora.browserNavigation(c.userAgent(), true),
          CrawlerVerifier.Status.NOT_A_CRAWLER);
      assertThat(r.failed()).isFalse();
      assertThat(r.findings()).extracting(Finding::heuristic).containsExactly(BrowserIntegrityCheck.HEADLESS_BROWSER);
    }
  }

  /** The same navigations without Accept: mainstream browser claims are caught, others left alone. */
  @Test
  void mainstreamBrowsersWithoutAcceptAreCaught() {
    Set<String> mainstream = Set.of("Chrome", "Firefox", "Edge", "Safari", "Chrome Mobile", "Mobile Safari",
        "Samsung Internet", "Firefox Mobile", "Chrome Mobile iOS", "Firefox iOS", "Vivaldi", "Brave", "Opera GX");
    int claimed = 0;
    int caught = 0;
    List<String> mainstreamMissed = new ArrayList<>();
    for (Corpora.UapCase c : browsers()) {
      BrowserIntegrityCheck.Result r = BrowserIntegrityCheck.defaults().check(Corpora.browserNavigation(c.userAgent(), false),
          CrawlerVerifier.Status.NOT_A_CRAWLER);
      boolean flagged = r.findings().stream()
          .anyMatch(f -> f.heuristic().equals(BrowserIntegrityCheck.BROWSER_HEADER_MISMATCH));
      if (UserAgents.claimedBrowser(c.userAgent()) != null) {
        claimed++;
        caught += flagged ? 1 : 0;
      }
      // Left alone on purpose: Google's page previewer says so itself, and a bare "Safari" is no product token.
      boolean exempt = c.userAgent().contains("Google Web Preview") || c.userAgent().endsWith(" Safari");
      if (mainstream.contains(c.family()) && c.userAgent().startsWith("Mozilla/5.0 (") && !flagged && !exempt) {
        mainstreamMissed.add(c.family() + " | " + c.userAgent());
      }
    }
    assertThat(claimed).as("browser User-Agents claiming a mainstream browser").isPositive();
    assertThat(caught).as("of the %d claiming a mainstream browser, those flagged browser_header_mismatch", claimed)
        .isEqualTo(claimed);
    assertThat(mainstreamMissed).isEmpty();
  }

  /** Among the corpus's non-browsers, the scanner signature finds the corpus's own scanners and nothing else. */
  @Test
  void onlyTheScannersAmongTheNonBrowsersHaveAScannerSignature() {
    List<String> scanners = new ArrayList<>();
    for (Corpora.UapCase c : cases) {
      if (BROWSER_FAMILIES.contains(c.family())) {
        continue;
      }
      RequestFacts facts = RequestFacts.builder().uri("/").header("User-Agent", c.userAgent())
          .header("Accept", "*/*").build();
      BrowserIntegrityCheck.Result r = BrowserIntegrityCheck.defaults().check(facts, CrawlerVerifier.Status.NOT_A_CRAWLER);
      for (Finding f : r.findings()) {
        if (f.heuristic().equals(BrowserIntegrityCheck.SCANNER_SIGNATURE)) {
          scanners.add(c.family() + " | " + c.userAgent() + " -> " + f.detail());
        }
      }
    }
    assertThat(scanners).allMatch(s -> s.startsWith("OpenVAS Scanner |") || s.startsWith("masscan |")
        || s.startsWith("WhatWeb |") || s.startsWith("XSpider |") || s.startsWith("WebVulnCrawl |"));
    assertThat(scanners).anyMatch(s -> s.startsWith("OpenVAS Scanner |")).anyMatch(s -> s.startsWith("masscan |"))
        .anyMatch(s -> s.startsWith("WhatWeb |"));
  }
}
