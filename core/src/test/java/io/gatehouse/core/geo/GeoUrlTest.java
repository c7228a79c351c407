package io.gatehouse.core.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigSource;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Geo databases named by URL: downloaded (gzip too) into the cache, used from there, refreshed with ETag. */
class GeoUrlTest {

  @TempDir
  Path dir;

  private HttpServer server;
  private final AtomicReference<byte[]> served = new AtomicReference<>();
  private final AtomicReference<String> etag = new AtomicReference<>("\"v1\"");
  /** Each request's If-None-Match, or "-" without one. */
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String inm = ex.getRequestHeaders().getFirst("If-None-Match");
      requests.add(inm == null ? "-" : inm);
      byte[] body = served.get();
      if (body == null) {
        ex.sendResponseHeaders(503, -1);
      } else if (etag.get().equals(inm)) {
        ex.sendResponseHeaders(304, -1);
      } else {
        ex.getResponseHeaders().add("ETag", etag.get());
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private byte[] countryDatabase(String country) throws Exception {
    Path f = dir.resolve("made-" + country + ".mmdb");
    new MmdbWriter("DBIP-Country-Lite").add("81.2.69.0/24", MmdbWriter.map("country", MmdbWriter.map("iso_code", country)))
        .write(f);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(Files.readAllBytes(f));
    }
    return gz.toByteArray();
  }

  private Gatehouse engine(boolean watch) throws Exception {
    return Gatehouse.builder().config(ConfigSource.text("c", """
        gatehouse.reputation.cache-dir=%s
        gatehouse.geo.country-database=%s
        gatehouse.access-rule.uk=block country GB
        """.formatted(dir.resolve("cache"), url("/dbip-country-lite.mmdb.gz")))).environment(Map.of())
        .watchFiles(watch).build();
  }

  private static Decision from(Gatehouse g, String ip) {
    return g.decide(RequestFacts.builder().peer(ip).header("User-Agent", "Mozilla/5.0").header("Accept", "*/*").build());
  }

  @Test
  void aGzippedDatabaseIsDownloadedOnceAndServedFromTheCacheWhenTheUrlIsDown() throws Exception {
    served.set(countryDatabase("GB"));
    try (Gatehouse g = engine(false)) {
      Decision d = from(g, "81.2.69.142");
      assertThat(d.action()).isEqualTo(Action.BLOCK);
      assertThat(d.errorCode()).isEqualTo(Decision.COUNTRY_BANNED);
      assertThat(g.status().geo()).contains("country geo-");
    }
    assertThat(requests).containsExactly("-");
    served.set(null);
    try (Gatehouse g = engine(false)) {
      assertThat(from(g, "81.2.69.142").action()).as("from the cached copy").isEqualTo(Action.BLOCK);
    }
    assertThat(requests).as("a copy is used without asking").hasSize(1);
  }

  @Test
  void withoutACopyAnOutageIsNoConfigurationErrorAndTheDataArrivesLater() throws Exception {
    try (Gatehouse g = engine(false)) {
      assertThat(from(g, "81.2.69.142").action()).as("no data yet: the country is unknown").isEqualTo(Action.ALLOW);
      served.set(countryDatabase("GB"));
      // The background retry (each minute) does what a reload does: fetch, then load.
      assertThat(g.reload().applied()).isTrue();
      assertThat(from(g, "81.2.69.142").action()).isEqualTo(Action.BLOCK);
    }
  }

  @Test
  void aRefreshAsksWithTheEtagAndAnUnchangedDatabaseCostsA304() throws Exception {
    served.set(countryDatabase("GB"));
    try (Gatehouse g = engine(false)) {
      assertThat(from(g, "81.2.69.142").action()).isEqualTo(Action.BLOCK);
    }
    try (Gatehouse g = engine(true)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (requests.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(requests).containsExactly("-", "\"v1\"");
      assertThat(from(g, "81.2.69.142").action()).isEqualTo(Action.BLOCK);
    }
  }
}
