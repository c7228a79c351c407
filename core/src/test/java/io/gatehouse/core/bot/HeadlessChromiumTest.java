package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.BrowserIntegrityCheck.Result.Finding;
import io.gatehouse.testing.Chromium;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A real headless Chromium loading a page, its subresources and a script's request: every request it
 * makes passes the check, with {@code headless_browser} recorded as a signal. Skipped where Chromium is
 * not installed.
 */
class HeadlessChromiumTest {

  private static final String PAGE = """
      <!doctype html><html><head><title>t</title><link rel="stylesheet" href="/style.css">
      <script src="/script.js"></script></head>
      <body><img src="/image.png" alt=""><p id="out">waiting</p>
      <script>
        var x = new XMLHttpRequest(); x.open('GET', '/xhr', false); x.send();
        document.getElementById('out').textContent = 'xhr:' + x.status;
      </script></body></html>
      """;

  @Test
  void everyRequestOfARealHeadlessChromiumPasses() throws Exception {
    List<Finding> findings = load();
    assertThat(findings).isNotEmpty()
        .allMatch(f -> f.heuristic().equals(BrowserIntegrityCheck.HEADLESS_BROWSER) && !f.failing());
  }

  /** The same browser presenting an ordinary desktop Chrome User-Agent: nothing at all to report. */
  @Test
  void chromiumWithAnOrdinaryChromeUserAgentPasses() throws Exception {
    assertThat(load("--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/131.0.0.0 Safari/537.36")).isEmpty();
  }

  /** Loads the page, checks every request Chromium made, and returns all findings. */
  private static List<Finding> load(String... flags) throws Exception {
    Chromium.require();
    Queue<RequestFacts> seen = new ConcurrentLinkedQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      seen.add(facts(exchange));
      String path = exchange.getRequestURI().getPath();
      byte[] body = path.equals("/") ? PAGE.getBytes(StandardCharsets.UTF_8) : new byte[0];
      String type = path.equals("/") ? "text/html; charset=utf-8" : path.endsWith(".css") ? "text/css"
          : path.endsWith(".js") ? "text/javascript" : "application/octet-stream";
      exchange.getResponseHeaders().add("Content-Type", type);
      exchange.sendResponseHeaders(path.equals("/") || path.equals("/xhr") ? 200 : 404, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String dom = Chromium.dumpDom("http://127.0.0.1:" + server.getAddress().getPort() + "/", flags);
      assertThat(dom).contains("xhr:200");
    } finally {
      server.stop(0);
    }

    List<String> paths = seen.stream().map(RequestFacts::path).toList();
    assertThat(paths).contains("/", "/style.css", "/script.js", "/image.png", "/xhr");
    try (CrawlerVerifier verifier = CrawlerVerifier.builder().resolver(new FakeDns()).build()) {
      BrowserIntegrityCheck strict = BrowserIntegrityCheck.builder().flagScriptingClients(true).build();
      List<String> problems = new ArrayList<>();
      List<Finding> all = new ArrayList<>();
      for (RequestFacts f : seen) {
        CrawlerVerifier.Status crawler = verifier.status(f.userAgent(), f.peer());
        BrowserIntegrityCheck.Result r = strict.check(f, crawler);
        if (r.failed() || crawler.isClaim()) {
          problems.add(f.path() + " " + f.userAgent() + " -> " + r.findings());
        }
        all.addAll(r.findings());
      }
      assertThat(problems).isEmpty();
      return all;
    }
  }

  private static RequestFacts facts(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    RequestFacts.Builder b = RequestFacts.builder()
        .peer(exchange.getRemoteAddress().getAddress().getHostAddress())
        .method(exchange.getRequestMethod()).scheme("http").host("127.0.0.1")
        .uri(exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      for (String value : h.getValue()) {
        b.header(h.getKey(), value);
      }
    }
    return b.build();
  }
}
