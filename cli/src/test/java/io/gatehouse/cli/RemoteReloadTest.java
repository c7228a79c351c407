package io.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code reload} speaks to the admin endpoint as documented: POST, bearer token, {@code force=true}. */
class RemoteReloadTest {

  private static final Map<String, String> ENV = Map.of(RemoteReload.TOKEN_VARIABLE, "a-token-of-sixteen+");
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private HttpServer server;
  private volatile int status = 200;
  private String admin;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/__gatehouse/reload", exchange -> {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
          + exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = (status == 200 ? "{\"applied\":true}" : "{\"applied\":false,\"problems\":[\"x\"]}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    admin = "http://127.0.0.1:" + server.getAddress().getPort() + "/__gatehouse";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private int run(Map<String, String> env, String... args) {
    return RemoteReload.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aReloadPostsWithTheTokenAndForceOnlyWhenAskedFor() {
    assertThat(run(ENV, "reload", admin)).isZero();
    assertThat(run(ENV, "reload", "--force", admin + "/")).isZero();
    assertThat(seen).containsExactly("POST /__gatehouse/reload Bearer a-token-of-sixteen+",
        "POST /__gatehouse/reload?force=true Bearer a-token-of-sixteen+");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("applied {\"applied\":true}");
  }

  @Test
  void aRefusedReloadExitsWithOneAndPrintsTheProblems() {
    status = 422;
    assertThat(run(ENV, "reload", admin)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("refused; the running configuration stays:")
        .contains("\"problems\":[\"x\"]");
  }

  @Test
  void withoutATokenOrAUrlNothingIsSent() {
    assertThat(run(Map.of(), "reload", admin)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("reload needs the admin token in GATEHOUSE_ADMIN_TOKEN");
    assertThat(run(ENV, "reload")).isEqualTo(2);
    assertThat(run(ENV, "reload", "ftp://example.test/x")).isEqualTo(2);
    assertThat(run(ENV, "reload", "--fast", admin)).isEqualTo(2);
    assertThat(seen).isEmpty();
  }
}
