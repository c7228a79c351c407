package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Micrometer meters, bound in code and, for a filter built from init-params, on the global registry. */
class MetricsEndToEndTest {

  private static final String CONFIG = """
      gatehouse.client-ip.header=X-Forwarded-For
      gatehouse.client-ip.trusted-proxies=127.0.0.1, ::1
      gatehouse.access-rule.abuser=block ip 203.0.113.9 "abuse reports"
      gatehouse.access-rule.watch=log ip 198.51.100.0/24
      """;

  @Test
  void decisionsAreCountedByActionSourceAndCodeAndTimed() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.text("c", CONFIG)).environment(Map.of())
        .watchFiles(false).build()) {
      GatehouseMetrics metrics = new GatehouseMetrics(g);
      metrics.bindTo(registry);
      try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g).withMetrics(metrics))) {
        jetty.get("/", "X-Forwarded-For", "192.0.2.1");
        jetty.get("/", "X-Forwarded-For", "192.0.2.2");
        jetty.get("/", "X-Forwarded-For", "203.0.113.9");
        jetty.get("/", "X-Forwarded-For", "198.51.100.7");
      }
      // A log rule's match lets the request through: an allowed decision like the others (its event says more).
      assertThat(registry.get("gatehouse.decisions").tags("action", "allow", "source", "none", "code", "0")
          .counter().count()).isEqualTo(3);
      assertThat(registry.get("gatehouse.decisions").tags("action", "block", "source", "access_rules", "code", "1012")
          .counter().count()).isEqualTo(1);
      assertThat(registry.get("gatehouse.decide").timer().count()).isEqualTo(4);
      assertThat(registry.get("gatehouse.access.rules").gauge().value()).isEqualTo(2);
      assertThat(registry.get("gatehouse.events.held").gauge().value()).isEqualTo(2);
      assertThat(registry.get("gatehouse.internal.failures").functionCounter().count()).isZero();
    }
  }

  @Test
  void aFilterFromWebXmlBindsTheGlobalRegistry(@TempDir Path dir) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    Path config = Files.writeString(dir.resolve("gatehouse.properties"), CONFIG);
    try (JettyFixture jetty = JettyFixture.withInitParams(Map.of(GatehouseFilter.CONFIG_PARAM, config.toString()))) {
      jetty.get("/", "X-Forwarded-For", "203.0.113.9");
      assertThat(registry.get("gatehouse.decisions").tags("action", "block", "code", "1012").counter().count())
          .isEqualTo(1);
    } finally {
      Metrics.removeRegistry(registry);
    }
  }
}
