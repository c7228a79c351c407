package io.gatehouse.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feeds from a real HTTP server on 127.0.0.1 that serves, changes, answers 304 and fails. */
class FeedRegistryTest {

  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>("192.0.2.0/24\n");
  private final AtomicReference<String> etag = new AtomicReference<>("\"v1\"");
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger conditional = new AtomicInteger();
  private FeedRegistry registry;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/feed.txt", exchange -> {
      requests.incrementAndGet();
      String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
      if (ifNoneMatch != null) {
        conditional.incrementAndGet();
      }
      int code = status.get();
      if (code == 200 && etag.get().equals(ifNoneMatch)) {
        exchange.sendResponseHeaders(304, -1);
        exchange.close();
        return;
      }
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("ETag", etag.get());
      exchange.getResponseHeaders().add("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT");
      exchange.sendResponseHeaders(code, code == 200 ? bytes.length : -1);
      if (code == 200) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
      exchange.close();
    });
    server.start();
    registry = new FeedRegistry(Clock.systemUTC(), System::nanoTime);
  }

  @AfterEach
  void stop() {
    server.stop(0);
    registry.close();
  }

  private FeedRegistry.Spec spec() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/feed.txt");
    return new FeedRegistry.Spec("remote", url, null, 70, FeedRegistry.Format.AUTO, Duration.ofHours(1));
  }

  private static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  private FeedRegistry.Status status(FeedRegistry r) {
    return r.status().get(0);
  }

  @Test
  void servesChangesNotModifiedAndFailures(@TempDir Path cache) {
    Map<String, String> problems = new HashMap<>();
    registry.commit(registry.prepare(List.of(spec()), cache, Duration.ofSeconds(5), problems));
    assertThat(problems).isEmpty();
    assertThat(registry.lookup(ip("192.0.2.9")).score()).isEqualTo(70);
    assertThat(registry.lookup(ip("192.0.2.9")).feeds()).containsExactly("remote");
    assertThat(status(registry).loadedFrom()).isEqualTo("url");

    // Unchanged: the conditional request gets a 304 and the data stays.
    registry.refreshAll();
    assertThat(conditional.get()).isEqualTo(1);
    assertThat(registry.lookup(ip("192.0.2.9"))).isNotNull();

    // Changed content replaces the data.
    body.set("198.51.100.0/24\n");
    etag.set("\"v2\"");
    registry.refreshAll();
    assertThat(registry.lookup(ip("192.0.2.9"))).isNull();
    assertThat(registry.lookup(ip("198.51.100.9"))).isNotNull();

    // A failing URL keeps the last good data and says why.
    status.set(503);
    registry.refreshAll();
    assertThat(registry.lookup(ip("198.51.100.9"))).isNotNull();
    assertThat(status(registry).lastError()).endsWith("answered HTTP 503");

    // So does content that is entirely unparsable.
    status.set(200);
    body.set("<html>maintenance</html>\n");
    etag.set("\"v3\"");
    registry.refreshAll();
    assertThat(registry.lookup(ip("198.51.100.9"))).isNotNull();
    assertThat(status(registry).lastError()).contains("holds nothing usable");

    // And recovery clears the error.
    body.set("203.0.113.0/24\n");
    etag.set("\"v4\"");
    registry.refreshAll();
    assertThat(registry.lookup(ip("203.0.113.1"))).isNotNull();
    assertThat(status(registry).lastError()).isNull();
  }

  @Test
  void aRestartWhileTheUrlIsDownServesTheLastGoodCopy(@TempDir Path cache) {
    registry.commit(registry.prepare(List.of(spec()), cache, Duration.ofSeconds(5), new HashMap<>()));
    assertThat(registry.lookup(ip("192.0.2.9"))).isNotNull();
    server.stop(0);

    FeedRegistry restarted = new FeedRegistry(Clock.systemUTC(), System::nanoTime);
    try {
      Map<String, String> problems = new HashMap<>();
      restarted.commit(restarted.prepare(List.of(spec()), cache, Duration.ofSeconds(5), problems));
      assertThat(problems).isEmpty();
      assertThat(restarted.lookup(ip("192.0.2.9")).score()).isEqualTo(70);
      assertThat(status(restarted).loadedFrom()).isEqualTo("cache");
      restarted.refreshAll();
      assertThat(status(restarted).lastError()).isNotNull();
      assertThat(restarted.lookup(ip("192.0.2.9"))).isNotNull();
    } finally {
      restarted.close();
    }
  }

  @Test
  void aUrlThatIsDownWithNoCopyStartsEmptyAndIsRetried(@TempDir Path cache) {
    status.set(500);
    Map<String, String> problems = new HashMap<>();
    registry.commit(registry.prepare(List.of(spec()), cache, Duration.ofSeconds(5), problems));
    assertThat(problems).as("an outage is not a configuration error").isEmpty();
    assertThat(registry.lookup(ip("192.0.2.9"))).isNull();
    assertThat(status(registry).lastError()).endsWith("answered HTTP 500");
    status.set(200);
    registry.refreshAll();
    assertThat(registry.lookup(ip("192.0.2.9"))).isNotNull();
  }

  @Test
  void fileFeedsAreReadAtonceAndTheirProblemsAreTheConfigurations(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.netset");
    Files.writeString(good, "192.0.2.0/24\n");
    Path bad = dir.resolve("bad.netset");
    Files.writeString(bad, "nonsense\n");
    Map<String, String> problems = new HashMap<>();
    FeedRegistry.Prepared p = registry.prepare(List.of(
        new FeedRegistry.Spec("good", null, good, 40, FeedRegistry.Format.PLAIN, Duration.ofHours(1)),
        new FeedRegistry.Spec("bad", null, bad, 40, FeedRegistry.Format.PLAIN, Duration.ofHours(1)),
        new FeedRegistry.Spec("missing", null, dir.resolve("missing"), 40, FeedRegistry.Format.PLAIN, Duration.ofHours(1))),
        null, Duration.ofSeconds(5), problems);
    assertThat(problems).containsOnlyKeys("bad", "missing");
    assertThat(problems.get("bad")).isEqualTo(bad + " holds nothing usable as plain: all 1 lines rejected, first"
        + " line 1: 'nonsense' is not an address or network: 'nonsense'");
    assertThat(problems.get("missing")).isEqualTo("no such file: " + dir.resolve("missing"));
    registry.commit(p);
    assertThat(registry.lookup(ip("192.0.2.1")).score()).isEqualTo(40);
  }

  @Test
  void aFeedThatCannotBeFetchedSaysWhereAndWhyNotOnlyTheExceptionsName(@TempDir Path cache) throws IOException {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    FeedRegistry.Spec down = new FeedRegistry.Spec("down", java.net.URI.create("http://127.0.0.1:" + closedPort + "/feed"),
        null, 40, FeedRegistry.Format.AUTO, Duration.ofHours(1));
    registry.commit(registry.prepare(List.of(down), cache, Duration.ofSeconds(5), new HashMap<>()));
    assertThat(status(registry).lastError()).startsWith("cannot connect to 127.0.0.1:" + closedPort);
  }

  @Test
  void anEmptyFeedFileIsAProblemAtStartAndOnRefreshTheLastGoodDataStays(@TempDir Path dir) throws IOException {
    Path empty = dir.resolve("empty.netset");
    Files.writeString(empty, "# nothing listed yet\n\n");
    Path feed = dir.resolve("feed.netset");
    Files.writeString(feed, "192.0.2.0/24\n");
    Map<String, String> problems = new HashMap<>();
    FeedRegistry.Prepared p = registry.prepare(List.of(
        new FeedRegistry.Spec("empty", null, empty, 40, FeedRegistry.Format.AUTO, Duration.ofHours(1)),
        new FeedRegistry.Spec("feed", null, feed, 40, FeedRegistry.Format.AUTO, Duration.ofHours(1))),
        null, Duration.ofSeconds(5), problems);
    assertThat(problems).containsExactly(Map.entry("empty", empty + " holds no entries (it is empty, or only comments)"));
    registry.commit(p);

    Files.writeString(feed, "");
    Files.setLastModifiedTime(feed, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    registry.refreshAll();
    assertThat(registry.lookup(ip("192.0.2.1")).score()).as("the last good data stays").isEqualTo(40);
    assertThat(status(registry).lastError()).isEqualTo(feed + " holds no entries (it is empty, or only comments)");
  }

  @Test
  void theLogNamesTheFirstRejectedLinesAndTheStatusKeepsMore(@TempDir Path dir) throws IOException {
    Path messy = dir.resolve("messy.netset");
    StringBuilder text = new StringBuilder("192.0.2.0/24\n");
    for (int i = 0; i < 30; i++) {
      text.append("junk-").append(i).append('\n');
    }
    Files.writeString(messy, text);
    registry.commit(registry.prepare(List.of(new FeedRegistry.Spec("messy", null, messy, 40, FeedRegistry.Format.PLAIN,
        Duration.ofHours(1))), null, Duration.ofSeconds(5), new HashMap<>()));
    FeedRegistry.Status status = registry.status().get(0);
    assertThat(status.rejected()).isEqualTo(30);
    assertThat(status.rejectedSample()).hasSize(FeedParser.SAMPLE);
    List<io.gatehouse.testing.CapturedLogs.Entry> logged = io.gatehouse.testing.CapturedLogs.find(
        "gatehouse.reputation", e -> e.message().startsWith("feed messy: loaded 1 entries"));
    assertThat(logged).singleElement().satisfies(e -> assertThat(e.message())
        .contains("30 lines rejected, the first 5: line 2: 'junk-0'").contains("line 6: 'junk-4'")
        .doesNotContain("junk-5"));
  }

  @Test
  void overlappingFeedsAreAllNamedAndTheHighestScoreCounts(@TempDir Path dir) throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.writeString(a, "192.0.2.0/24\n");
    Files.writeString(b, "192.0.2.128/25\n2001:db8::/32\n");
    registry.commit(registry.prepare(List.of(
        new FeedRegistry.Spec("a", null, a, 30, FeedRegistry.Format.PLAIN, Duration.ofHours(1)),
        new FeedRegistry.Spec("b", null, b, 80, FeedRegistry.Format.PLAIN, Duration.ofHours(1))), null, Duration.ofSeconds(5),
        new HashMap<>()));
    assertThat(registry.lookup(ip("192.0.2.1")).feeds()).containsExactly("a");
    FeedRegistry.Hit both = registry.lookup(ip("192.0.2.200"));
    assertThat(both.score()).isEqualTo(80);
    assertThat(both.listings()).extracting(Object::toString).containsExactly("a 30", "b 80");
    assertThat(registry.lookup(ip("2001:db8::5")).feeds()).containsExactly("b");
    // Equal combinations share one object.
    assertThat(registry.lookup(ip("192.0.2.201"))).isSameAs(both);
  }

  @Test
  void aReloadThatKeepsAFeedKeepsItsDataWithoutFetchingAgain(@TempDir Path cache) {
    registry.commit(registry.prepare(List.of(spec()), cache, Duration.ofSeconds(5), new HashMap<>()));
    int before = requests.get();
    registry.commit(registry.prepare(List.of(spec()), cache, Duration.ofSeconds(5), new HashMap<>()));
    assertThat(requests.get()).isEqualTo(before);
    assertThat(registry.lookup(ip("192.0.2.9"))).isNotNull();
    registry.commit(registry.prepare(List.of(), cache, Duration.ofSeconds(5), new HashMap<>()));
    assertThat(registry.lookup(ip("192.0.2.9"))).isNull();
  }
}
