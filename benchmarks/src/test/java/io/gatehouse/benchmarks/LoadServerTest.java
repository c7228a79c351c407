package io.gatehouse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
  void withAThousandCustomRulesTheSameClientsGetTheSameAnswers() throws Exception {
    try (LoadServer server = LoadServer.start(LoadServer.Policy.SMALL, null, 1_000)) {
      assertPage(get(server, FullPolicy.ALLOWED_IP));
      assertThat(get(server, FullPolicy.RULE_BLOCKED_IP).statusCode()).isEqualTo(403);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --policy full                                      | FULL  |                | 100
      --policy small --rules 1000                        | SMALL |                | 1000
      --rules 10000 --policy FULL                        | FULL  |                | 10000
      --policy full --rules 1                            | FULL  |                | 1
      --policy full --rules 100000                       | FULL  |                | 100000
      --policy empty                                     | EMPTY |                | 100
      --policy small --cluster redis://h:1/0 --rules 5   | SMALL | redis://h:1/0  | 5
      """)
  void theCommandLineIsRead(String line, LoadServer.Policy policy, String cluster, int rules) {
    assertThat(LoadServer.Options.parse(line.split(" ")))
        .isEqualTo(new LoadServer.Options(policy, cluster, rules));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --policy full --rules 0                | --rules '0': expected a whole number from 1 to 100000
      --policy full --rules 100001           | --rules '100001': expected a whole number from 1 to 100000
      --policy full --rules 1000000000000    | --rules '1000000000000': expected a whole number from 1 to 100000
      --policy full --rules -5               | --rules '-5': expected a whole number from 1 to 100000
      --policy full --rules +5               | --rules '+5': expected a whole number from 1 to 100000
      --policy full --rules 1e3              | --rules '1e3': expected a whole number from 1 to 100000
      --policy full --rules 1,000            | --rules '1,000': expected a whole number from 1 to 100000
      --policy full --rules lots             | --rules 'lots': expected a whole number from 1 to 100000
      --policy full --rules                  | --rules needs a value
      --policy                               | --policy needs a value
      --policy full --port 8080              | unknown argument '--port'
      --policy empty --rules 1000            | --rules needs a policy with custom rules: --policy small or full
      --policy none --rules 1000             | --rules needs a policy with custom rules: --policy small or full
      --rules 1000                           | --policy is required
      --policy medium                        | 'medium' is not a policy; expected none, pass, empty, small or full
      """)
  void aMistakeOnTheCommandLineIsNamed(String line, String message) {
    assertThatThrownBy(() -> LoadServer.Options.parse(line.split(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
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
