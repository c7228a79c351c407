package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.LogfmtParser;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter over real HTTP: Jetty on a free port, java.net.http as the visitor (always 127.0.0.1). */
class FilterEndToEndTest {

  private static final Pattern BODY_RAY = Pattern.compile("Ray ID: <strong>([0-9a-f]{16}(?:-[a-z0-9-]+)?)</strong>");

  static Gatehouse engine(String properties) throws Exception {
    return Gatehouse.builder().config(ConfigSource.text("e2e.properties", properties)).environment(Map.of()).build();
  }

  @Test
  void blockedAddressGetsThe1012PageWhoseRayIdMatchesHeaderBodyAndLogLine() throws Exception {
    Gatehouse g = engine("""
        gatehouse.node-id=t1
        gatehouse.access-rule.me=block ip 127.0.0.1 "test block"
        """);
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> r = jetty.get("/shop/cart?x=1");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(jetty.appHits.get()).isZero();
      String ray = r.headers().firstValue("Gatehouse-Ray").orElseThrow();
      assertThat(ray).matches("[0-9a-f]{16}-t1");
      assertThat(r.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      assertThat(r.headers().firstValue("Gatehouse-Mitigated")).isEmpty();

      String body = r.body();
      assertThat(body).startsWith("<!DOCTYPE html>")
          .contains("<title>Access denied | 127.0.0.1</title>")
          .contains("Error 1012")
          .contains("<h2>Access denied</h2>")
          .contains("What happened?")
          .contains("The owner of this website (127.0.0.1) has blocked access from your IP address or network"
              + " (127.0.0.1).")
          .contains("What can I do?")
          .doesNotContain("Scan your computer")
          .contains("quote the Ray ID")
          .contains("Your IP: 127.0.0.1")
          .containsPattern("Ray ID: [0-9a-f]{16}-t1</span> &bull; <span>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC")
          .doesNotContain("<script", "src=\"http", "href=\"http", "@import", "url(");
      Matcher m = BODY_RAY.matcher(body);
      assertThat(m.find()).isTrue();
      assertThat(m.group(1)).isEqualTo(ray);

      List<CapturedLogs.Entry> lines = CapturedLogs.eventLines(ray);
      assertThat(lines).singleElement().satisfies(line -> assertThat(line.keyValues())
          .containsEntry("action", "block").containsEntry("source", "access_rules").containsEntry("rule_id", "me")
          .containsEntry("path", "/shop/cart").containsEntry("query", "x=1").containsEntry("client_ip", "127.0.0.1"));
      SecurityEvent event = g.events().findByRay(ray).orElseThrow();
      assertThat(event.description()).isEqualTo("test block");
    }
  }

  @Test
  void hostileUserAgentCannotAddKeysToTheEventLine() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.me=block ip 127.0.0.1\n");
    String hostile = "x\" action=allow client_ip=6.6.6.6 enforced=false";
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> r = jetty.get("/shop", "User-Agent", hostile);
      assertThat(r.statusCode()).isEqualTo(403);
      String ray = r.headers().firstValue("Gatehouse-Ray").orElseThrow();

      List<CapturedLogs.Entry> lines = CapturedLogs.eventLines(ray);
      assertThat(lines).hasSize(1);
      List<Map.Entry<String, String>> pairs = LogfmtParser.parse(lines.get(0).message());
      assertThat(LogfmtParser.values(pairs, "action")).containsExactly("block");
      assertThat(LogfmtParser.values(pairs, "client_ip")).containsExactly("127.0.0.1");
      assertThat(LogfmtParser.values(pairs, "enforced")).containsExactly("true");
      assertThat(LogfmtParser.values(pairs, "user_agent")).containsExactly(hostile);
    }
  }

  @Test
  void allowedAddressReachesTheApplicationUntouched() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.other=block ip 203.0.113.0/24\n");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> r = jetty.get("/hello?q=1");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("app saw /hello");
      assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("gatehouse-"));
      assertThat(jetty.appHits.get()).isEqualTo(1);
      assertThat(g.events().size()).isZero();
    }
  }

  @Test
  void simulateModeLetsTheRequestThroughAndRecordsWhatItWouldHaveDone() throws Exception {
    Gatehouse g = engine("""
        gatehouse.mode=simulate
        gatehouse.access-rule.me=block ip 127.0.0.0/8
        """);
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> r = jetty.get("/page");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("app saw /page");
      assertThat(g.events().size()).isEqualTo(1);
      SecurityEvent e = g.events().query(EventLog.Query.all(1)).get(0);
      assertThat(e.action().id()).isEqualTo("block");
      assertThat(e.enforced()).isFalse();
      assertThat(CapturedLogs.eventLines(e.rayId())).singleElement()
          .satisfies(line -> assertThat(line.keyValues()).containsEntry("enforced", false));
    }
  }

  @Test
  void jsonTextAndHeadVariants() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.me=block ip 127.0.0.1\n");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> json = jetty.get("/api/items", "Accept", "application/json");
      assertThat(json.statusCode()).isEqualTo(403);
      assertThat(json.headers().firstValue("Content-Type")).contains("application/json;charset=utf-8");
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = JsonbBuilder.create().fromJson(json.body(), Map.class);
      assertThat(parsed).containsOnlyKeys("error_code", "error_name", "ray_id", "client_ip", "timestamp", "detail");
      assertThat(parsed.get("error_code").toString()).isEqualTo("1012");
      assertThat(parsed).containsEntry("error_name", "access_denied")
          .containsEntry("ray_id", json.headers().firstValue("Gatehouse-Ray").orElseThrow())
          .containsEntry("client_ip", "127.0.0.1");
      assertThat((String) parsed.get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
      assertThat(json.body()).startsWith("{\"error_code\":1012,\"error_name\":\"access_denied\",\"ray_id\":");

      HttpResponse<String> text = jetty.get("/", "Accept", "text/plain");
      assertThat(text.statusCode()).isEqualTo(403);
      assertThat(text.headers().firstValue("Content-Type")).contains("text/plain;charset=utf-8");
      assertThat(text.body()).startsWith("Error 1012: Access denied\nRay ID: "
          + text.headers().firstValue("Gatehouse-Ray").orElseThrow() + "\n")
          .contains("Your IP: 127.0.0.1").contains("What happened?\n").contains("What can I do?\n");

      HttpResponse<String> head = jetty.send(HttpRequest.newBuilder(jetty.uri("/"))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
      assertThat(head.statusCode()).isEqualTo(403);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("Gatehouse-Ray")).isPresent();
      assertThat(head.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(jetty.appHits.get()).isZero();
    }
  }

  @Test
  void reflectedRequestValuesAreEscapedOnThePage(@TempDir Path dir) throws Exception {
    // A template that shows the host and path, which come straight from the request line.
    Files.writeString(dir.resolve("t.html"), "<p>{{host}}</p><p>{{path}}</p><p>{{client_ip}}</p>");
    Path config = dir.resolve("g.properties");
    Files.writeString(config, "gatehouse.access-rule.me=block ip 127.0.0.1\ngatehouse.page.template.1012=t.html\n");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(Gatehouse.fromProperties(config)))) {
      String raw = ChallengeEndToEndTest.raw(jetty.port(), "GET /a\"><script>alert(1)</script>'x HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
      if (raw.startsWith("HTTP/1.1 403")) {
        assertThat(raw).doesNotContain("<script>").contains("&lt;script&gt;").contains("&quot;&gt;").contains("&#39;x");
      } else {
        // The server refused the illegal request line itself; nothing reached the page.
        assertThat(raw).startsWith("HTTP/1.1 400");
      }
      String encoded = ChallengeEndToEndTest.raw(jetty.port(), "GET /%3Cscript%3E HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(encoded).startsWith("HTTP/1.1 403").contains("<p>/%3Cscript%3E</p>");
    }
    // The built-in page, rendered directly with hostile host and path values.
    ErrorResponses responses = new ErrorResponses();
    RequestFacts facts = RequestFacts.builder().peer("192.0.2.1")
        .host("\"><img src=x onerror=alert(1)>").path("/<svg/onload=alert(2)>").build();
    Gatehouse g = engine("gatehouse.access-rule.x=block ip 192.0.2.1\n");
    String html = responses.html(facts, g.decide(facts), g.pages());
    assertThat(html).doesNotContain("<img", "<svg").contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  }

  @Test
  void webXmlStyleRegistrationReadsTheConfigInitParam(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, "gatehouse.access-rule.me=block ip 127.0.0.1\n");
    try (JettyFixture jetty = JettyFixture.withInitParams(Map.of("config", config.toString()))) {
      assertThat(jetty.get("/").statusCode()).isEqualTo(403);
    }
    Files.writeString(config, "gatehouse.access-rule.other=block ip 192.0.2.1\n");
    try (JettyFixture jetty = JettyFixture.withInitParams(Map.of("config", "file:" + config))) {
      assertThat(jetty.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aConfigurationWithMistakesStopsTheFilterListingAllOfThem(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.mode=enforced
        gatehouse.access-rule.a=block ip 10.0.0.1/8
        gatehouse.acess-rule.b=block ip 192.0.2.1
        """);
    GatehouseFilter filter = new GatehouseFilter();
    FilterConfig fc = new FilterConfig() {
      @Override
      public String getFilterName() {
        return "gatehouse";
      }

      @Override
      public ServletContext getServletContext() {
        return null;
      }

      @Override
      public String getInitParameter(String name) {
        return name.equals("config") ? config.toString() : null;
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(List.of("config"));
      }
    };
    assertThatThrownBy(() -> filter.init(fc))
        .isInstanceOf(ServletException.class)
        .hasMessage("Gatehouse cannot start. 3 configuration problems:\n"
            + config + ":1: gatehouse.mode: 'enforced' is not one of enforce, simulate\n"
            + config + ":2: gatehouse.access-rule.a: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8\n"
            + config + ":3: gatehouse.acess-rule.b: unknown key; did you mean gatehouse.access-rule.b?");
  }
}
