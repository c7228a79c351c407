package io.gatehouse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The demo server with its sample configuration behaves as the text it prints says. */
class DemoServerTest {

  @Test
  void theThingsToTryDoWhatTheySay() throws Exception {
    try (DemoServer demo = DemoServer.start(0, null)) {
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + demo.port();
      assertThat(send(client, base + "/", null).statusCode()).isEqualTo(200);
      HttpResponse<String> blocked = send(client, base + "/", "203.0.113.9");
      assertThat(blocked.statusCode()).isEqualTo(403);
      assertThat(blocked.headers().firstValue("Gatehouse-Ray").orElseThrow()).endsWith("-demo");
      assertThat(blocked.body()).contains("Demo Shop");
      assertThat(send(client, base + "/", "203.0.113.7").statusCode()).isEqualTo(200);
      assertThat(send(client, base + "/", "198.51.100.20").statusCode()).isEqualTo(200);
      assertThat(demo.gatehouse().events().size()).isEqualTo(2);
      assertThat(send(client, base + "/", "192.0.2.1, 203.0.113.9").statusCode()).isEqualTo(403);
      assertThat(send(client, base + "/api/status", null).body()).isEqualTo("{\"status\":\"ok\",\"path\":\"/api/status\"}");
      HttpResponse<String> listed = send(client, base + "/", "192.0.2.70");
      assertThat(listed.statusCode()).isEqualTo(403);
      assertThat(listed.headers().firstValue("Gatehouse-Mitigated")).contains("challenge");
      HttpResponse<String> hijacked = send(client, base + "/", "192.0.2.200");
      assertThat(hijacked.statusCode()).isEqualTo(403);
      assertThat(hijacked.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(hijacked.headers().firstValue("Gatehouse-Mitigated")).isEmpty();
      HttpResponse<String> shared = send(client, base + "/", "100.64.99.5");
      assertThat(shared.headers().firstValue("Gatehouse-Mitigated")).contains("challenge");
      HttpResponse<String> events = client.send(HttpRequest.newBuilder(URI.create(base + "/__gatehouse/events?limit=5"))
          .header("Authorization", "Bearer demo-admin-token-change-me").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(events.statusCode()).isEqualTo(200);
      assertThat(events.body()).contains("\"client_ip\":\"100.64.99.5\"");

      String printed = DemoServer.tryThis(demo.port(), true);
      assertThat(printed).contains("curl -i -H 'X-Forwarded-For: 203.0.113.9' " + base + "/");
    }
  }

  @Test
  void itListensOnTheLoopbackAddressUnlessToldAndAPortInUseIsOneLine() throws Exception {
    try (DemoServer demo = DemoServer.start(0, null)) {
      assertThat(demo.host()).isEqualTo("127.0.0.1");
      Throwable failure = null;
      try (DemoServer second = DemoServer.start("127.0.0.1", demo.port(), null)) {
        assertThat(second).as("a second demo on the same port").isNull();
      } catch (Exception e) {
        failure = e;
      }
      assertThat(failure).isNotNull();
      assertThat(DemoServer.isBindFailure(failure)).as(String.valueOf(failure)).isTrue();
      assertThat(DemoServer.bindFailure("127.0.0.1", 8080)).doesNotContain("\n")
          .startsWith("Cannot listen on 127.0.0.1:8080: the port is in use");

      HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + demo.port() + "/__gatehouse/status"))
          .header("Authorization", "Bearer demo-admin-token-change-me").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(status.body()).contains("\"geo\":\"none\"").doesNotContain("GeoLookup$");
    }
    assertThat(DemoServer.tryThis("127.0.0.1", 8080, true)).doesNotContain("Warning");
    assertThat(DemoServer.tryThis("0.0.0.0", 8080, true))
        .contains("listening on every interface (0.0.0.0), port 8080: http://127.0.0.1:8080")
        .contains("Warning: reachable from other machines with the sample's well-known admin token");
  }

  private static HttpResponse<String> send(HttpClient client, String url, String forwardedFor) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
