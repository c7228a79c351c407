package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Body inspection over real HTTP: the rules read the first bytes of the body, and the application still
 * reads the whole body, through its input stream, its reader, its form parameters or a non-blocking read
 * listener.
 */
class BodyInspectionEndToEndTest {

  private Server server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("body.properties", """
        gatehouse.body.inspect-bytes=64
        gatehouse.rule.sqli.expression=http.request.body.raw contains "DROP TABLE" or any(http.request.body.form.values[*] contains "<script")
        gatehouse.rule.sqli.action=block
        gatehouse.rule.json.expression=lookup_json_string(http.request.body.raw, "role") eq "admin"
        gatehouse.rule.json.action=block
        gatehouse.rule.big.expression=http.request.body.truncated and http.request.body.size gt 1000000
        gatehouse.rule.big.action=block
        """)).environment(Map.of()).build();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(new GatehouseFilter(g)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Echo()), "/echo/*");
    ServletHolder async = new ServletHolder(new AsyncEcho());
    async.setAsyncSupported(true);
    context.addServlet(async, "/async");
    server.setHandler(context);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  /** Answers with what it read: the stream's length and digest, the reader's text, or a form parameter. */
  static final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String how = req.getPathInfo();
      String answer;
      if ("/stream".equals(how)) {
        byte[] all = req.getInputStream().readAllBytes();
        answer = all.length + " " + sha256(all);
      } else if ("/reader".equals(how)) {
        StringBuilder sb = new StringBuilder();
        char[] buffer = new char[100];
        for (int n; (n = req.getReader().read(buffer)) > 0; ) {
          sb.append(buffer, 0, n);
        }
        answer = sb.toString();
      } else {
        answer = req.getParameter("q") + "|" + req.getParameter("page") + "|"
            + String.join(",", req.getParameterMap().keySet());
      }
      resp.setContentType("text/plain;charset=utf-8");
      resp.getWriter().write(answer);
    }
  }

  /** Reads the body with a read listener, as non-blocking applications do. */
  static final class AsyncEcho extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      AsyncContext ctx = req.startAsync();
      ServletInputStream in = req.getInputStream();
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      in.setReadListener(new ReadListener() {
        @Override
        public void onDataAvailable() throws IOException {
          byte[] buffer = new byte[1000];
          while (in.isReady()) {
            int n = in.read(buffer);
            if (n < 0) {
              break;
            }
            read.write(buffer, 0, n);
          }
        }

        @Override
        public void onAllDataRead() throws IOException {
          resp.setContentType("text/plain");
          resp.getWriter().write(read.size() + " " + sha256(read.toByteArray()));
          ctx.complete();
        }

        @Override
        public void onError(Throwable t) {
          ctx.complete();
        }
      });
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path);
  }

  private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .header("Accept-Language", "en").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aRuleReadsTheBodysStartAndTheApplicationReadsAllOfItFromTheStream() throws Exception {
    byte[] big = bytes(300_000, 1);
    HttpResponse<String> r = post("/echo/stream", "application/octet-stream", big);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(big.length + " " + sha256(big));

    HttpResponse<String> blocked = post("/echo/stream", "text/plain",
        "x; DROP TABLE users; and more".getBytes(StandardCharsets.UTF_8));
    assertThat(blocked.statusCode()).isEqualTo(403);
  }

  @Test
  void theRulesSeeOnlyTheFirstBytes() throws Exception {
    byte[] late = ("x".repeat(100) + " DROP TABLE users").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = post("/echo/stream", "text/plain", late);
    assertThat(r.statusCode()).as("past the 64 bytes inspected").isEqualTo(200);
    assertThat(r.body()).isEqualTo(late.length + " " + sha256(late));
  }

  @Test
  void theReaderAndTheFormParametersSeeTheWholeBody() throws Exception {
    String text = "é".repeat(50) + " and the rest, past the inspected bytes";
    HttpResponse<String> reader = post("/echo/reader", "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    assertThat(reader.body()).isEqualTo(text);

    String form = "q=" + "a".repeat(80) + "+b%21&page=2";
    HttpResponse<String> params = post("/echo/form?from=query", "application/x-www-form-urlencoded",
        form.getBytes(StandardCharsets.US_ASCII));
    assertThat(params.statusCode()).isEqualTo(200);
    assertThat(params.body()).isEqualTo("a".repeat(80) + " b!|2|from,q,page");

    HttpResponse<String> xss = post("/echo/form", "application/x-www-form-urlencoded",
        "q=%3Cscript%3E&x=<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII));
    assertThat(xss.statusCode()).isEqualTo(403);
  }

  @Test
  void aJsonBodyIsLookedIntoAndANonBlockingReaderGetsEveryByte() throws Exception {
    HttpResponse<String> admin = post("/async", "application/json",
        "{\"user\":\"mallory\",\"role\":\"admin\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(admin.statusCode()).isEqualTo(403);
    byte[] json = ("{\"role\":\"user\",\"padding\":\"" + "p".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = post("/async", "application/json", json);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(json.length + " " + sha256(json));
  }

  @Test
  void theWholeSizeIsTheDeclaredLengthAndOnlyTheInspectedBytesAreWaitedFor() throws Exception {
    // Two megabytes declared, a hundred bytes sent: the filter waits for the 64 it inspects, no more.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1",
        ((ServerConnector) server.getConnectors()[0]).getLocalPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /echo/stream HTTP/1.1\r\nHost: shop.example\r\n"
          + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
          + "Accept-Language: en\r\nContent-Type: application/octet-stream\r\nContent-Length: 2000000\r\n\r\n"
          + "x".repeat(100)).getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      byte[] status = socket.getInputStream().readNBytes(12);
      assertThat(new String(status, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 403");
    }
    byte[] small = bytes(10, 3);
    HttpResponse<String> r = post("/echo/stream", "application/octet-stream", small);
    assertThat(r.body()).isEqualTo("10 " + sha256(small));
  }
}
