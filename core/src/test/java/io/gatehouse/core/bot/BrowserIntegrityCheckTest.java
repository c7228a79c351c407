package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.BrowserIntegrityCheck.Result.Finding;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BrowserIntegrityCheckTest {

  private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";
  private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
  private static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
      + " (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
  private static final String EDGE = CHROME + " Edg/131.0.0.0";
  private static final String GOOGLEBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible;"
      + " Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.6778.204 Safari/537.36";

  private static final BrowserIntegrityCheck DEFAULT = BrowserIntegrityCheck.defaults();
  private static final BrowserIntegrityCheck STRICT = BrowserIntegrityCheck.builder().flagScriptingClients(true).build();

  /** A GET with the User-Agent (when not null) and {@code Accept: text/html}. */
  static RequestFacts request(String ua) {
    RequestFacts.Builder b = RequestFacts.builder().peer("203.0.113.5").uri("/").header("Accept", "text/html");
    if (ua != null) {
      b.header("User-Agent", ua);
    }
    return b.build();
  }

  static BrowserIntegrityCheck.Result check(String ua) {
    return DEFAULT.check(request(ua), CrawlerVerifier.Status.NOT_A_CRAWLER);
  }

  static List<String> failing(BrowserIntegrityCheck.Result r) {
    return r.findings().stream().filter(Finding::failing).map(Finding::heuristic).toList();
  }

  static Stream<Arguments> failingCases() {
    String longUa = "Mozilla/5.0 (Windows NT 10.0) " + "x".repeat(1000);
    return Stream.of(
        // missing_user_agent
        Arguments.of(null, BrowserIntegrityCheck.MISSING_USER_AGENT, "no User-Agent header"),
        Arguments.of("", BrowserIntegrityCheck.MISSING_USER_AGENT, "blank"),
        Arguments.of("   \t ", BrowserIntegrityCheck.MISSING_USER_AGENT, "blank"),
        // malformed_user_agent
        Arguments.of("Mozilla/5.0\u0000(Windows NT 10.0)", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "U+0000"),
        Arguments.of("Mozilla/5.0 (X11)\r\nX-Injected: 1", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "U+000D"),
        Arguments.of("Mozilla/5.0 \u001b[31mred", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "U+001B"),
        Arguments.of("Mozilla/5.0 (X11)\u007f", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "U+007F"),
        Arguments.of(longUa, BrowserIntegrityCheck.MALFORMED_USER_AGENT, "1030 characters"),
        Arguments.of("Mozilla/5.0 " + "A".repeat(64 * 1024), BrowserIntegrityCheck.MALFORMED_USER_AGENT, "65548"),
        Arguments.of("Mozlila/5.0 (Linux; Android 7.0; SM-G930V) AppleWebKit/537.36",
            BrowserIntegrityCheck.MALFORMED_USER_AGENT, "'Mozlila' imitates"),
        Arguments.of("Mozila/5.0 (Windows NT 6.1)", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "'Mozila'"),
        Arguments.of("Mozzilla/5.0 (Windows NT 6.1)", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "'Mozzilla'"),
        Arguments.of("Mozilla/5.g (Windows NT 6.1)", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "'5.g (Windows'"),
        Arguments.of("Mozilla/x.0 (Windows NT 6.1)", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "not a number"),
        Arguments.of("Mozilla/5. (Windows NT 6.1)", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "not a number"),
        Arguments.of("Mozilla/4.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0",
            BrowserIntegrityCheck.MALFORMED_USER_AGENT, "Mozilla/4 with Chrome/"),
        Arguments.of("Mozilla/4.0 (Windows NT 10.0; rv:115.0) Gecko/20100101 Firefox/115.0",
            BrowserIntegrityCheck.MALFORMED_USER_AGENT, "every Firefox sends Mozilla/5.0"),
        Arguments.of("User-Agent: Mozilla/5.0 (Windows NT 10.0)", BrowserIntegrityCheck.MALFORMED_USER_AGENT,
            "header's own name"),
        Arguments.of("user-agent", BrowserIntegrityCheck.MALFORMED_USER_AGENT, "header's own name"),
        // scanner_signature: the detail names the tool
        Arguments.of("sqlmap/1.7.2#stable (https://sqlmap.org)", BrowserIntegrityCheck.SCANNER_SIGNATURE, "sqlmap"),
        Arguments.of("Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)",
            BrowserIntegrityCheck.SCANNER_SIGNATURE, "Nikto"),
        Arguments.of("Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
            BrowserIntegrityCheck.SCANNER_SIGNATURE, "Nmap"),
        Arguments.of("Fuzz Faster U Fool v2.1.0-dev", BrowserIntegrityCheck.SCANNER_SIGNATURE, "ffuf"),
        Arguments.of("WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)",
            BrowserIntegrityCheck.SCANNER_SIGNATURE, "WPScan"),
        Arguments.of("Mozilla/5.0 zgrab/0.x", BrowserIntegrityCheck.SCANNER_SIGNATURE, "ZGrab"),
        Arguments.of("Mozilla/5.0 zgrab2/0.1", BrowserIntegrityCheck.SCANNER_SIGNATURE, "ZGrab"),
        Arguments.of("masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
            BrowserIntegrityCheck.SCANNER_SIGNATURE, "masscan"),
        Arguments.of("Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
            BrowserIntegrityCheck.SCANNER_SIGNATURE, "Nuclei"),
        Arguments.of("Mozilla/5.0 [en] (X11, U; OpenVAS-VT 9.0.3)", BrowserIntegrityCheck.SCANNER_SIGNATURE, "OpenVAS"),
        Arguments.of("DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)",
            BrowserIntegrityCheck.SCANNER_SIGNATURE, "DirBuster"),
        Arguments.of("CensysInspect/1.1", BrowserIntegrityCheck.SCANNER_SIGNATURE, "Censys"),
        Arguments.of("Mozilla/4.0 (Hydra)", BrowserIntegrityCheck.SCANNER_SIGNATURE, "THC Hydra"),
        Arguments.of("Vega/1.0", BrowserIntegrityCheck.SCANNER_SIGNATURE, "Vega"),
        Arguments.of(CHROME + " (compatible; Katana)", BrowserIntegrityCheck.SCANNER_SIGNATURE, "Katana"),
        Arguments.of("SQLMAP/1.0", BrowserIntegrityCheck.SCANNER_SIGNATURE, "sqlmap"),
        // fake_search_engine_bot is driven by the crawler status: see impostorFails
        // browser_header_mismatch is driven by headers: see headerMismatchCases
        Arguments.of("Brutus/AET", BrowserIntegrityCheck.SCANNER_SIGNATURE, "Brutus"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("failingCases")
  void failingHeuristics(String ua, String heuristic, String detail) {
    BrowserIntegrityCheck.Result r = check(ua);
    assertThat(r.failed()).isTrue();
    assertThat(failing(r)).contains(heuristic);
    Finding f = r.findings().stream().filter(x -> x.heuristic().equals(heuristic)).findFirst().orElseThrow();
    assertThat(f.detail()).contains(detail);
    assertPrintable(r);
  }

  static Stream<String> passingUserAgents() {
    return Stream.of(
        CHROME, FIREFOX, SAFARI, EDGE,
        // Words inside real User-Agents that are also tool names.
        "Mozilla/5.0 (Linux; U; Android 2.2; en-gb; Vega Build/FRF91) AppleWebKit/533.1 (KHTML, like Gecko)"
            + " Version/4.0 Mobile Safari/533.1",
        "Mozilla/5.0 (Linux; Android 12; Medusa X Build/SP1A) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; Katana 2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0 Mobile"
            + " Safari/537.36",
        "Comodo-Webinspector-Crawler 2.0",
        "urlgrabber/3.10 yum/3.4.3",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0"
            + " Safari/537.36 Hydration/2",
        // Forms real browsers and apps send that look odd.
        "Mozilla/5.0(miniGUI/3.x; U; Linux i686; en-US) AppleWebKit/534.26 (KHTML, like Gecko) mDolphin/3.0",
        "Mozilla/5.0+(iPhone;+CPU+iPhone+OS+9_3_1+like+Mac+OS+X)+AppleWebKit/601.1.46+(KHTML,+like+Gecko)"
            + "+Version/9.0+Mobile/13E238+Safari/601.1",
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0; chromeframe/11.0.696.57)",
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/8.0; .NET4.0C)",
        "Mozilla/4.08 [en] (X11; U; Linux 2.0.36 i686)",
        "mozilla/5.0 (x11; linux x86_64) applewebkit/537.36 (khtml, like gecko) chrome/120.0.0.0 safari/537.36",
        "Mozzila/5.0 (compatible; Sonic/1.0)", // two edits away: a crawler's own spelling, not a counterfeit
        // Non-ASCII: app names in UTF-8, and the same bytes as a container reads them (ISO-8859-1).
        "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Приложение/1.0",
        "\u00e6\u0096\u00b0\u00e9\u0097\u00bb/3.1 (iPhone; iOS 17.1; Scale/3.00)",
        "MyApp/1.0 (\u0085\u009f; tab\there)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0"
            + " Safari/537.36",
        "curl/8.5.0",
        "Mozilla/5.0 (Windows NT 10.0) " + "x".repeat(994)); // exactly 1024 characters
  }

  @ParameterizedTest
  @MethodSource("passingUserAgents")
  void realUserAgentsPass(String ua) {
    BrowserIntegrityCheck.Result r = check(ua);
    assertThat(failing(r)).as(ua).isEmpty();
    assertPrintable(r);
  }

  @Test
  void exactlyTheLimitIsAllowed() {
    String ua = "Mozilla/5.0 (Windows NT 10.0) " + "x".repeat(994);
    assertThat(ua).hasSize(UserAgents.MAX_LENGTH);
    assertThat(check(ua).failed()).isFalse();
    assertThat(check(ua + "x").failed()).isTrue();
  }

  static Stream<Arguments> headerMismatchCases() {
    return Stream.of(
        Arguments.of("GET", CHROME, List.of(), true, "claims Chrome but sent no Accept header"),
        Arguments.of("HEAD", CHROME, List.of(), true, "claims Chrome"),
        Arguments.of("GET", FIREFOX, List.of(), true, "claims Firefox"),
        Arguments.of("GET", SAFARI, List.of(), true, "claims Safari"),
        Arguments.of("GET", EDGE, List.of(), true, "claims Edge"),
        Arguments.of("GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML,"
            + " like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1", List.of(), true, "claims Chrome"),
        // Present in any form, even empty (a page may set it to anything, but cannot remove it).
        Arguments.of("GET", CHROME, List.of("Accept", "*/*"), false, null),
        Arguments.of("GET", CHROME, List.of("accept", "text/html"), false, null),
        Arguments.of("GET", CHROME, List.of("Accept", ""), false, null),
        // WebSocket handshakes carry no Accept; other methods are not judged.
        Arguments.of("GET", CHROME, List.of("Upgrade", "websocket", "Connection", "Upgrade"), false, null),
        Arguments.of("GET", CHROME, List.of("Range", "bytes=1048576-"), false, null),
        Arguments.of("POST", CHROME, List.of("Content-Type", "application/reports+json"), false, null),
        Arguments.of("OPTIONS", CHROME, List.of(), false, null),
        // Clients that say what they are are not pretending to be a browser.
        Arguments.of("GET", "Mozilla/5.0 (compatible; Foo/1.0) Chrome/120.0.0.0 Safari/537.36", List.of(), false, null),
        Arguments.of("GET", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " HeadlessChrome/120.0.0.0 Safari/537.36", List.of(), false, null),
        Arguments.of("GET", "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36 +https://example.com/bot",
            List.of(), false, null),
        Arguments.of("GET", "curl/8.5.0", List.of(), false, null),
        Arguments.of("GET", "MyApp/2.1 (iPhone; iOS 17.1)", List.of(), false, null));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("headerMismatchCases")
  void browserHeaderMismatch(String method, String ua, List<String> headers, boolean fails, String detail) {
    RequestFacts.Builder b = RequestFacts.builder().method(method).uri("/").header("User-Agent", ua)
        .header("Accept-Language", "en-US").header("Accept-Encoding", "gzip");
    for (int i = 0; i < headers.size(); i += 2) {
      b.header(headers.get(i), headers.get(i + 1));
    }
    BrowserIntegrityCheck.Result r = DEFAULT.check(b.build(), CrawlerVerifier.Status.NOT_A_CRAWLER);
    if (fails) {
      assertThat(failing(r)).containsExactly(BrowserIntegrityCheck.BROWSER_HEADER_MISMATCH);
      assertThat(r.firstFailure().detail()).contains(detail);
    } else {
      assertThat(failing(r)).isEmpty();
    }
  }

  @Test
  void aCrawlerClaimIsNotJudgedByBrowserHeaders() {
    RequestFacts facts = RequestFacts.builder().uri("/").header("User-Agent", GOOGLEBOT).build();
    BrowserIntegrityCheck.Result r = DEFAULT.check(facts, CrawlerVerifier.Status.pending("Googlebot", "verifying"));
    assertThat(r.failed()).isFalse();
    assertThat(r.findings()).containsExactly(
        new Finding(BrowserIntegrityCheck.UNVERIFIED_CRAWLER, "claims Googlebot; verifying", false));
  }

  @Test
  void impostorFails() {
    BrowserIntegrityCheck.Result r = DEFAULT.check(request(GOOGLEBOT),
        CrawlerVerifier.Status.impostor("Googlebot", "203.0.113.5 resolves to host.evil.example, not under googlebot.com"));
    assertThat(r.failed()).isTrue();
    assertThat(r.firstFailure()).isEqualTo(new Finding(BrowserIntegrityCheck.FAKE_SEARCH_ENGINE_BOT,
        "claims Googlebot; 203.0.113.5 resolves to host.evil.example, not under googlebot.com", true));
  }

  @Test
  void verifiedCrawlerSkipsTheWholeCheck() {
    // Even a request that would fail several heuristics: the engine trusts the verified crawler.
    RequestFacts facts = RequestFacts.builder().uri("/").header("User-Agent", "sqlmap " + GOOGLEBOT).build();
    assertThat(DEFAULT.check(facts, CrawlerVerifier.Status.verified("Googlebot", "crawl-66-249-66-1.googlebot.com")))
        .isSameAs(BrowserIntegrityCheck.Result.CLEAN);
    assertThat(DEFAULT.check(RequestFacts.builder().build(), CrawlerVerifier.Status.verified("Googlebot", "")).failed())
        .isFalse();
  }

  static Stream<Arguments> scriptingClients() {
    return Stream.of(
        Arguments.of("curl/8.5.0", "curl (curl)"),
        Arguments.of("Wget/1.21.4", "Wget (Wget)"),
        Arguments.of("python-requests/2.31.0", "Python (python-requests)"),
        Arguments.of("Python/3.11 aiohttp/3.9.1", "Python (Python)"),
        Arguments.of("Python-urllib/3.12", "Python (Python-urllib)"),
        Arguments.of("python-httpx/0.27.0", "Python (python-httpx)"),
        Arguments.of("Go-http-client/1.1", "Go (Go-http-client)"),
        Arguments.of("Go-http-client/2.0", "Go (Go-http-client)"),
        Arguments.of("okhttp/4.12.0", "Java (okhttp)"),
        Arguments.of("Java/17.0.9", "Java (Java)"),
        Arguments.of("Java-http-client/21.0.1", "Java (Java-http-client)"),
        Arguments.of("Apache-HttpClient/4.5.14 (Java/17.0.9)", "Java (Apache-HttpClient)"),
        Arguments.of("Jakarta Commons-HttpClient/3.1", "Java (Commons-HttpClient)"),
        Arguments.of("libwww-perl/6.72", "Perl (libwww-perl)"),
        Arguments.of("PHP/8.2.12", "PHP (PHP)"),
        Arguments.of("GuzzleHttp/7", "PHP (GuzzleHttp)"),
        Arguments.of("node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "Node.js (node-fetch)"),
        Arguments.of("axios/1.6.2", "Node.js (axios)"),
        Arguments.of("got (https://github.com/sindresorhus/got)", "Node.js (got)"),
        Arguments.of("undici", "Node.js (undici)"),
        Arguments.of("HTTPie/3.2.2", "HTTPie (HTTPie)"),
        Arguments.of("PostmanRuntime/7.36.0", "Postman (PostmanRuntime)"),
        Arguments.of("Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.4291",
            "PowerShell (WindowsPowerShell)"),
        Arguments.of("Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.4.0",
            "PowerShell (PowerShell)"),
        Arguments.of("reqwest/0.11.22", "Rust (reqwest)"),
        Arguments.of("Ruby", "Ruby (Ruby)"),
        Arguments.of("Faraday v2.7.11", "Ruby (Faraday)"),
        Arguments.of("Dart/3.2 (dart:io)", "Dart (Dart)"),
        Arguments.of("Scrapy/2.11.0 (+https://scrapy.org)", "Python (Scrapy)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scriptingClients")
  void scriptingClientIsASignalUnlessFlagged(String ua, String detail) {
    BrowserIntegrityCheck.Result lenient = DEFAULT.check(request(ua), CrawlerVerifier.Status.NOT_A_CRAWLER);
    assertThat(lenient.failed()).isFalse();
    assertThat(lenient.findings()).containsExactly(new Finding(BrowserIntegrityCheck.SCRIPTING_CLIENT, detail, false));
    BrowserIntegrityCheck.Result strict = STRICT.check(request(ua), CrawlerVerifier.Status.NOT_A_CRAWLER);
    assertThat(strict.failed()).isTrue();
    assertThat(strict.findings()).containsExactly(new Finding(BrowserIntegrityCheck.SCRIPTING_CLIENT, detail, true));
  }

  @Test
  void productNamesInsideDeviceStringsAreNotScriptingClients() {
    // J2ME phones list their Java runtime as "Java/ASVM/1.1": not a version, not a client.
    for (String ua : List.of(
        "Mozilla/4.0 (Vodafone/1.0/LG-GU280/v10a Browser/Obigo-Q7.3 MMS/LG-MMS-V1.0/1.2 Java/ASVM/1.1"
            + " Profile/MIDP-2.1 Configuration/CLDC-1.1)",
        CHROME, FIREFOX, "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0"
            + " Mobile Safari/537.36 NodeBrowser/1.0")) {
      assertThat(STRICT.check(request(ua), CrawlerVerifier.Status.NOT_A_CRAWLER).failed()).as(ua).isFalse();
    }
  }

  @Test
  void headlessBrowsersAreSignals() {
    for (String ua : List.of(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X) AppleWebKit/534.34 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/534.34")) {
      BrowserIntegrityCheck.Result r = STRICT.check(request(ua), CrawlerVerifier.Status.NOT_A_CRAWLER);
      assertThat(r.failed()).isFalse();
      assertThat(r.findings()).extracting(Finding::heuristic).containsExactly(BrowserIntegrityCheck.HEADLESS_BROWSER);
    }
  }

  @Test
  void everyFindingIsReportedNotJustTheFirst() {
    BrowserIntegrityCheck.Result r = STRICT.check(request("Mozlila/5.0 sqlmap/1.0 python-requests/2.31 HeadlessChrome/1"),
        CrawlerVerifier.Status.NOT_A_CRAWLER);
    assertThat(r.findings()).extracting(Finding::heuristic).containsExactly(
        BrowserIntegrityCheck.MALFORMED_USER_AGENT, BrowserIntegrityCheck.SCANNER_SIGNATURE,
        BrowserIntegrityCheck.SCRIPTING_CLIENT, BrowserIntegrityCheck.HEADLESS_BROWSER);
    assertThat(r.firstFailure().heuristic()).isEqualTo(BrowserIntegrityCheck.MALFORMED_USER_AGENT);
  }

  @Test
  void heuristicNamesAreStableSnakeCase() {
    assertThat(BrowserIntegrityCheck.heuristics()).containsExactly("missing_user_agent", "malformed_user_agent",
        "scanner_signature", "fake_search_engine_bot", "browser_header_mismatch", "scripting_client",
        "headless_browser", "unverified_crawler");
  }

  @Test
  void resultInvariants() {
    assertThat(BrowserIntegrityCheck.Result.of(List.of())).isSameAs(BrowserIntegrityCheck.Result.CLEAN);
    assertThat(BrowserIntegrityCheck.Result.CLEAN.firstFailure()).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new BrowserIntegrityCheck.Result(false, List.of(new Finding("x", "y", true))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Details are for logs and pages: printable ASCII only, whatever the request held. */
  static void assertPrintable(BrowserIntegrityCheck.Result r) {
    for (Finding f : r.findings()) {
      assertThat(f.detail().chars().allMatch(c -> (c >= 0x20 && c < 0x7f) || c == '…')).as(f.detail()).isTrue();
      assertThat(f.detail().length()).isLessThan(300);
    }
  }
}
