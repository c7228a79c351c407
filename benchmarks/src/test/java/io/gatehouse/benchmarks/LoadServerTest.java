package io.gatehouse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load harness's server, with one request per side in place of wrk. */
class LoadServerTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void withoutTheFilterEveryClientGetsThePage() throws Exception {
    try (LoadServer server = LoadServer.start(LoadServer.Policy.NONE)) {
      assertPage(get(server, FullPolicy.ALLOWED_IP));
      assertPage(get(server, FullPolicy.RULE_BLOCKED_IP));
    }
  }

  @Test
  void withTheFilterAnAllowedClientGetsThePageAndABlockedOneDoesNot() throws Exception {
    try (LoadServer server = LoadServer.start(LoadServer.Policy.SMALL)) {
      assertPage(get(server, FullPolicy.ALLOWED_IP));
      assertThat(get(server, FullPolicy.RULE_BLOCKED_IP).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void thePassingFilterAndTheEmptyPolicyServeEveryone() throws Exception {
    for (LoadServer.Policy p : new LoadServer.Policy[] {LoadServer.Policy.PASS, LoadServer.Policy.EMPTY}) {
      try (LoadServer server = LoadServer.start(p)) {
        assertPage(get(server, FullPolicy.ALLOWED_IP));
        assertPage(get(server, FullPolicy.RULE_BLOCKED_IP));
      }
    }
  }

  private static void assertPage(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(new String(LoadServer.PAGE, StandardCharsets.UTF_8));
  }

  /** The page load that load.lua sends, from {@code client} through the trusted proxy 127.0.0.1. */
  private HttpResponse<String> get(LoadServer server, String client) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/products/123?ref=home"))
        .timeout(Duration.ofSeconds(10))
        .header("User-Agent", FullPolicy.BROWSER)
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")
        .header("Accept-Language", "en-GB,en;q=0.9")
        .header("Sec-Fetch-Dest", "document")
        .header("Sec-Fetch-Mode", "navigate")
        .header("X-Forwarded-For", client)
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
