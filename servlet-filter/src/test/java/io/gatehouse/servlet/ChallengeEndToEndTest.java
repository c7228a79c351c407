package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Challenge;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The challenge over real HTTP: the page, the solution post, the cookie, and what must be refused. */
class ChallengeEndToEndTest {

  static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
      + " Safari/537.36";
  private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

  static Gatehouse engine() throws Exception {
    return Gatehouse.builder().config(ConfigSource.text("c", """
        gatehouse.challenge.secret=an-e2e-secret-that-is-long-enough-1234
        gatehouse.challenge.difficulty=10
        gatehouse.access-rule.me=challenge ip 127.0.0.1 "suspicious range"
        """)).environment(Map.of()).watchFiles(false).build();
  }

  static String solve(String token, int difficulty) {
    int n = 0;
    while (!Challenge.solves(token, Integer.toString(n), difficulty)) {
      n++;
    }
    return Integer.toString(n);
  }

  private static HttpResponse<String> post(JettyFixture jetty, String path, String form, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(jetty.uri(path)).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return jetty.send(b.build());
  }

  @Test
  void aBrowserGetsThePageSolvesItAndPassesOnTheCookie() throws Exception {
    Gatehouse g = engine();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> page = jetty.get("/orders?page=2", "Accept", "text/html", "User-Agent", UA);
      assertThat(page.statusCode()).isEqualTo(403);
      assertThat(page.headers().firstValue("Gatehouse-Mitigated")).contains("challenge");
      assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
      String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      Matcher nonce = Pattern.compile("'nonce-([A-Za-z0-9+/=]+)'").matcher(csp);
      assertThat(nonce.find()).isTrue();
      String body = page.body();
      assertThat(body).contains("<script nonce=\"" + nonce.group(1) + "\">").contains("<noscript>")
          .contains("JavaScript is needed to continue").contains("action=\"/__gatehouse-challenge\"")
          .contains("data-difficulty=\"10\"").contains(page.headers().firstValue("Gatehouse-Ray").orElseThrow())
          .doesNotContain("src=\"http");
      Matcher t = TOKEN.matcher(body);
      assertThat(t.find()).isTrue();
      String token = t.group(1);

      HttpResponse<String> verified = post(jetty, "/__gatehouse-challenge", "token=" + URLEncoder.encode(token,
          StandardCharsets.UTF_8) + "&counter=" + solve(token, 10) + "&ms=250", "User-Agent", UA);
      assertThat(verified.statusCode()).isEqualTo(303);
      assertThat(verified.headers().firstValue("Location")).contains("/orders?page=2");
      String setCookie = verified.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie).startsWith("gatehouse_clearance=").contains("; Path=/").contains("; Max-Age=1800")
          .contains("; HttpOnly").contains("; SameSite=Lax").doesNotContain("Secure");
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      HttpResponse<String> through = jetty.get("/orders?page=2", "Accept", "text/html", "User-Agent", UA,
          "Cookie", cookie);
      assertThat(through.statusCode()).isEqualTo(200);
      assertThat(through.body()).isEqualTo("app saw /orders");

      // The cookie is this browser's only.
      assertThat(jetty.get("/", "User-Agent", "curl/8.4", "Cookie", cookie).statusCode()).isEqualTo(403);
      String[] parts = cookie.split("\\.");
      // A digit replaces the first character: servers may match header values ignoring case, so a
      // letter swapped for its other case would not be a change at all.
      String tampered = parts[0] + "." + (parts[1].charAt(0) == '0' ? '1' : '0') + parts[1].substring(1);
      assertThat(jetty.get("/", "User-Agent", UA, "Cookie", tampered).statusCode()).isEqualTo(403);
      assertThat(g.events().query(new EventLog.Query(null, null, "challenge_solved", null,
          null, 10))).singleElement().satisfies(e -> assertThat(e.description()).contains("250 ms"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"https", "http"})
  void behindATrustedProxyTheCookieIsSecureWhenTheVisitorUsedHttps(String proto) throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("c", """
        gatehouse.challenge.secret=an-e2e-secret-that-is-long-enough-1234
        gatehouse.challenge.difficulty=8
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1, ::1
        gatehouse.access-rule.them=challenge ip 198.51.100.7 "suspicious range"
        """)).environment(Map.of()).watchFiles(false).build();
    String[] via = {"User-Agent", UA, "X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", proto};
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> page = jetty.get("/", concat(via, "Accept", "text/html"));
      assertThat(page.statusCode()).isEqualTo(403);
      Matcher t = TOKEN.matcher(page.body());
      assertThat(t.find()).isTrue();
      HttpResponse<String> verified = post(jetty, "/__gatehouse-challenge", "token="
          + URLEncoder.encode(t.group(1), StandardCharsets.UTF_8) + "&counter=" + solve(t.group(1), 8), via);
      assertThat(verified.statusCode()).isEqualTo(303);
      String setCookie = verified.headers().firstValue("Set-Cookie").orElseThrow();
      if (proto.equals("https")) {
        assertThat(setCookie).endsWith("; Secure");
      } else {
        assertThat(setCookie).doesNotContain("Secure");
      }
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void clientsThatCannotRunItGetJsonOrTextWithTheHeader() throws Exception {
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine()))) {
      HttpResponse<String> json = jetty.get("/api/x", "Accept", "application/json");
      assertThat(json.statusCode()).isEqualTo(403);
      assertThat(json.headers().firstValue("Gatehouse-Mitigated")).contains("challenge");
      assertThat(json.body()).startsWith("{\"error_code\":1012").contains("needs a check that only a web browser");

      HttpResponse<String> postHtml = post(jetty, "/form", "a=1", "Accept", "text/html");
      assertThat(postHtml.statusCode()).isEqualTo(403);
      assertThat(postHtml.headers().firstValue("Gatehouse-Mitigated")).contains("challenge");
      assertThat(postHtml.body()).doesNotContain("<script");
    }
  }

  @Test
  void aWrongSolutionSendsTheVisitorBackToBeChallengedWithoutACookie() throws Exception {
    Gatehouse g = engine();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      String body = jetty.get("/deep/page", "Accept", "text/html", "User-Agent", UA).body();
      Matcher t = TOKEN.matcher(body);
      assertThat(t.find()).isTrue();
      HttpResponse<String> wrong = post(jetty, "/__gatehouse-challenge", "token=" + URLEncoder.encode(t.group(1),
          StandardCharsets.UTF_8) + "&counter=abc", "User-Agent", UA);
      assertThat(wrong.statusCode()).isEqualTo(303);
      assertThat(wrong.headers().firstValue("Location")).contains("/deep/page");
      assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
      HttpResponse<String> forged = post(jetty, "/__gatehouse-challenge", "token=forged.token&counter=1",
          "User-Agent", UA);
      assertThat(forged.headers().firstValue("Location")).contains("/");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"//evil.example", "//evil.example/path", "/\\evil.example", "/%2F%2Fevil.example",
      "/%5Cevil.example", "/%2f%2fevil.example/", "https://evil.example/", "//%65vil.example"})
  void theWayBackNeverLeavesTheSite(String target) throws Exception {
    Gatehouse g = engine();
    try (JettyFixture jetty = JettyFixture.lenient(new GatehouseFilter(g))) {
      String page = raw(jetty.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
          + "User-Agent: " + UA + "\r\nConnection: close\r\n\r\n");
      Matcher t = TOKEN.matcher(page);
      assertThat(t.find()).as("challenged: %s", page.lines().findFirst().orElse("")).isTrue();
      String token = t.group(1).replace("&#61;", "=");
      String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&counter=" + solve(token, 10);
      String answer = raw(jetty.port(), "POST /__gatehouse-challenge HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: "
          + UA + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
          + "\r\nConnection: close\r\n\r\n" + form);
      Matcher location = Pattern.compile("(?im)^Location: (.*)$").matcher(answer);
      assertThat(location.find()).isTrue();
      String where = location.group(1).trim();
      String path = where.replaceFirst("^https?://127\\.0\\.0\\.1:\\d+", "");
      assertThat(path).startsWith("/").doesNotStartWith("//").doesNotContain("\\").doesNotContain("evil.example/path")
          .doesNotContain("://");
      assertThat(where).doesNotContain("evil.example:").doesNotStartWith("//").doesNotStartWith("https://evil");
    }
  }

  static String raw(int port, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      StringBuilder sb = new StringBuilder();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        sb.append(line).append('\n');
      }
      return sb.toString();
    }
  }
}
