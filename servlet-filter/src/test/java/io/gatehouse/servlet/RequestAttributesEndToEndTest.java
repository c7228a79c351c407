package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the application learns: the request attributes, and the resolved client with expose on. */
class RequestAttributesEndToEndTest {

  private static final String UA = ChallengeEndToEndTest.UA;

  /** Answers with what the request shows the application, one {@code name=value} a line. */
  private static final HttpServlet REPORTER = new HttpServlet() {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Decision d = (Decision) req.getAttribute(GatehouseFilter.DECISION_ATTRIBUTE);
      resp.setContentType("text/plain;charset=utf-8");
      resp.getWriter().write("remote=" + req.getRemoteAddr() + "\nhost=" + req.getRemoteHost()
          + "\nsecure=" + req.isSecure() + "\nscheme=" + req.getScheme()
          + "\nclient=" + req.getAttribute(GatehouseFilter.CLIENT_IP_ATTRIBUTE)
          + "\nray=" + req.getAttribute(GatehouseFilter.RAY_ID_ATTRIBUTE)
          + "\nscore=" + req.getAttribute(GatehouseFilter.THREAT_SCORE_ATTRIBUTE)
          + "\nvisitor=" + req.getAttribute(GatehouseFilter.VISITOR_ID_ATTRIBUTE)
          + "\ndecision=" + d.action().name().toLowerCase() + " " + d.source().name().toLowerCase() + "\n");
    }
  };

  private static Gatehouse engine(String expose) throws Exception {
    return Gatehouse.builder().config(ConfigSource.text("c", """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1, ::1
        gatehouse.client-ip.expose=%s
        gatehouse.rule.watch.expression=http.request.uri.path eq "/watched"
        gatehouse.rule.watch.action=log
        """.formatted(expose))).environment(Map.of()).watchFiles(false).build();
  }

  private static Map<String, String> lines(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, String> m = new java.util.HashMap<>();
    for (String line : r.body().split("\n")) {
      m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
    }
    return m;
  }

  @Test
  void theApplicationReadsWhatGatehouseDecidedFromRequestAttributes() throws Exception {
    try (Gatehouse g = engine("off"); JettyFixture jetty = JettyFixture.withApp(new GatehouseFilter(g), REPORTER)) {
      Map<String, String> plain = lines(jetty.get("/", "User-Agent", UA, "X-Forwarded-For", "203.0.113.9",
          "X-Forwarded-Proto", "https"));
      assertThat(plain).containsEntry("client", "203.0.113.9").containsEntry("ray", "null")
          .containsEntry("score", "0").containsEntry("decision", "allow none")
          // Without expose the container's view is untouched.
          .containsEntry("remote", "127.0.0.1").containsEntry("secure", "false");
      assertThat(plain.get("visitor")).matches("[0-9a-f]{16}");

      Map<String, String> watched = lines(jetty.get("/watched", "User-Agent", UA, "X-Forwarded-For", "203.0.113.9"));
      String ray = watched.get("ray");
      assertThat(ray).matches("[0-9a-f]{16}");
      assertThat(g.events().query(new EventLog.Query(null, ray, null, null, null, 10))).singleElement()
          .satisfies(e -> assertThat(e.ruleId()).isEqualTo("watch"));
      assertThat(watched.get("visitor")).as("the same browser at the same address is the same visitor")
          .isEqualTo(plain.get("visitor"));
      assertThat(lines(jetty.get("/", "User-Agent", "curl/8.4", "X-Forwarded-For", "203.0.113.9")).get("visitor"))
          .isNotEqualTo(plain.get("visitor"));
    }
  }

  @Test
  void withExposeTheApplicationSeesTheResolvedClientAndScheme() throws Exception {
    try (Gatehouse g = engine("on"); JettyFixture jetty = JettyFixture.withApp(new GatehouseFilter(g), REPORTER)) {
      assertThat(lines(jetty.get("/", "User-Agent", UA, "X-Forwarded-For", "198.51.100.1, 203.0.113.9",
          "X-Forwarded-Proto", "https")))
          .containsEntry("remote", "203.0.113.9").containsEntry("host", "203.0.113.9")
          .containsEntry("secure", "true").containsEntry("scheme", "https");
      assertThat(lines(jetty.get("/", "User-Agent", UA, "X-Forwarded-For", "2001:db8::7")))
          .containsEntry("remote", "2001:db8::7").containsEntry("secure", "false").containsEntry("scheme", "http");
      // A hop that is not an address: the client is unknown and the application keeps the peer.
      assertThat(lines(jetty.get("/", "User-Agent", UA, "X-Forwarded-For", "unknown")))
          .containsEntry("remote", "127.0.0.1").containsEntry("client", "null");
    }
  }

  @Test
  void theVisitorIdAttributeIsTheVisitorTheRulesSawWithAClearanceAndWithout() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("c", """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1, ::1
        gatehouse.challenge.secret=an-e2e-secret-that-is-long-enough-1234
        gatehouse.challenge.difficulty=8
        gatehouse.rule.gate.expression=http.request.uri.path eq "/gate"
        gatehouse.rule.gate.action=challenge
        gatehouse.rate-limit.seen.expression=http.request.uri.path eq "/seen"
        gatehouse.rate-limit.seen.characteristics=cf.unique_visitor_id
        gatehouse.rate-limit.seen.period=1m
        gatehouse.rate-limit.seen.requests=1
        gatehouse.rate-limit.seen.action=log
        """)).environment(Map.of()).watchFiles(false).build();
    String[] browser = {"User-Agent", UA, "X-Forwarded-For", "203.0.113.9"};
    try (g; JettyFixture jetty = JettyFixture.withApp(new GatehouseFilter(g), REPORTER)) {
      // Over the rate from the second request on, so that the rule logs the visitor it counted.
      jetty.get("/seen", browser);
      Map<String, String> plain = lines(jetty.get("/seen", browser));
      assertThat(plain.get("visitor")).isEqualTo(visitorTheRuleSaw(g, plain.get("ray")));

      HttpResponse<String> page = jetty.get("/gate", "Accept", "text/html", browser[0], browser[1], browser[2],
          browser[3]);
      Matcher token = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(page.body());
      assertThat(token.find()).as(page.body()).isTrue();
      HttpResponse<String> solved = jetty.send(HttpRequest.newBuilder(jetty.uri("/__gatehouse-challenge"))
          .header("Content-Type", "application/x-www-form-urlencoded").headers(browser)
          .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token.group(1),
              StandardCharsets.UTF_8) + "&counter=" + ChallengeEndToEndTest.solve(token.group(1), 8))).build());
      String setCookie = solved.headers().firstValue("Set-Cookie").orElseThrow();
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      String[] withCookie = {browser[0], browser[1], browser[2], browser[3], "Cookie", cookie};
      // A new visitor to the rule: its clearance carries an id of its own.
      jetty.get("/seen", withCookie);
      Map<String, String> cleared = lines(jetty.get("/seen", withCookie));
      assertThat(cleared.get("visitor")).as("the clearance's own id").isEqualTo(visitorTheRuleSaw(g, cleared.get("ray")))
          .isNotEqualTo(plain.get("visitor"));
    }
  }

  /** The {@code cf.unique_visitor_id} the rate limiting rule logged the request with Ray ID {@code ray} under. */
  private static String visitorTheRuleSaw(Gatehouse g, String ray) {
    String description = g.events().query(new EventLog.Query(null, ray, null, null, null, 10)).get(0).description();
    Matcher m = Pattern.compile("cf\\.unique_visitor_id=([0-9a-f]{16})").matcher(description);
    assertThat(m.find()).as(description).isTrue();
    return m.group(1);
  }
}
