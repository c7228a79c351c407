package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.RuleChange;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.testing.MutableClock;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the admin endpoints read from a request: the query parameters of {@code events}, {@code stats} and
 * {@code explain}, and the JSON body of {@code POST access-rules}. {@link AdminParams} may refuse them only
 * with a {@link BadRequest} (the endpoints' 400); what it accepts, the engine must then answer without
 * throwing: the events query, the statistics over the period and buckets asked for, the explanation, and
 * the rule added to the managed file (or refused with a status).
 *
 * <p>The input's first bytes are the body, so a JSON body is a seed as it is (with four bytes after it for
 * its length); the parameters follow. {@code core/fuzz.sh admin} fuzzes this for longer.
 */
class AdminParamsFuzzTest {

  private static final String[] NAMES = {"ip", "ray", "action", "source", "since", "limit", "bucket", "top", "path",
      "method", "host", "ua", "header"};
  private static final String[] VALUES = {"", " ", "203.0.113.9", "203.0.113.0/24", "2001:db8::/32", "192.0.2.0/8",
      "15m", "1h", "7d", "36500d", "36501d", "0s", "1s", "999999999999d", "PT30M", "P1D", "-PT1H", "PT-1H",
      "2026-11-25T10:00:00Z", "+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z", "1", "0",
      "10000", "10001", "100", "-1", "2147483648", "block", "log", "access_rules", "User-Agent: curl/8",
      "X-Forwarded-For: 1.2.3.4", ":", "Name:", "/", "/admin?x=1", "GET", "sqlmap/1.7"};
  private static final MutableClock CLOCK = new MutableClock();
  private static final Gatehouse ENGINE = engine();
  private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withFormatting(false));

  @FuzzTest(maxDuration = "10s")
  @DictionaryFile(resourcePath = "AdminParamsFuzzTest.dict")
  void readsAnyAdminRequest(FuzzedDataProvider data) throws IOException {
    byte[] body = data.consumeBytes(data.consumeInt(0, 17 * 1024));
    Map<String, List<String>> params = new HashMap<>();
    int count = data.consumeInt(0, 8);
    for (int i = 0; i < count; i++) {
      String value = data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeString(100);
      params.computeIfAbsent(data.pickValue(NAMES), k -> new ArrayList<>()).add(value);
    }
    HttpServletRequest req = request(params, body);

    try {
      EventLog.Query q = AdminParams.events(req, CLOCK);
      assertThat(ENGINE.events().query(q)).hasSizeLessThanOrEqualTo(q.limit());
    } catch (BadRequest e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      AdminParams.Stats s = AdminParams.stats(req, CLOCK);
      EventLog.Stats stats = ENGINE.events().stats(s.since(), s.until(), s.bucket(), s.top());
      assertThat(stats.buckets().size()).isLessThanOrEqualTo(1_001);
    } catch (BadRequest e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      RequestFacts facts = AdminParams.explain(req);
      assertThat(ENGINE.explain(facts)).isNotNull();
    } catch (BadRequest e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      AdminParams.NewRule rule = AdminParams.newRule(req, JSONB);
      RuleChange change = ENGINE.addAccessRule(rule.id(), rule.action(), rule.target(), rule.value(), rule.notes());
      assertThat(change.status()).as("%s", change).isIn(201, 400, 409, 422);
      if (change.ok()) {
        assertThat(ENGINE.removeAccessRule(change.rule().id()).status()).isEqualTo(200);
      }
    } catch (BadRequest e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    assertThat(ENGINE.internalFailures()).isZero();
  }

  /** A request that answers only what {@link AdminParams} asks: its parameters and its body. */
  private static HttpServletRequest request(Map<String, List<String>> params, byte[] body) {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    ServletInputStream stream = new ServletInputStream() {
      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }
    };
    return (HttpServletRequest) Proxy.newProxyInstance(AdminParamsFuzzTest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getParameter" -> {
            List<String> v = params.get((String) args[0]);
            yield v == null ? null : v.get(0);
          }
          case "getParameterValues" -> {
            List<String> v = params.get((String) args[0]);
            yield v == null ? null : v.toArray(new String[0]);
          }
          case "getInputStream" -> stream;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /** An engine with a managed rules file in a sandbox under {@code target/}, and a few events to query. */
  private static Gatehouse engine() {
    try {
      Path dir = Path.of("target", "fuzz-sandbox", "admin").toAbsolutePath().normalize();
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve("rules.json"));
      Gatehouse g = Gatehouse.builder().config(ConfigSource.text("fuzz.properties", """
          gatehouse.admin.token=fuzz-admin-token-0123456789
          gatehouse.access-rules.file=%s
          gatehouse.access-rule.bad=block ip 203.0.113.0/24 "abuse reports"
          gatehouse.access-rule.watch=log ip 198.51.100.0/24
          """.formatted(dir.resolve("rules.json")))).clock(CLOCK).ticker(CLOCK::nanos).environment(Map.of())
          .watchFiles(false).behaviourExecutor(Runnable::run).build();
      for (String ip : new String[] {"203.0.113.9", "198.51.100.4", "203.0.113.10"}) {
        g.decide(RequestFacts.builder().peer(ip).uri("/login").header("User-Agent", "curl/8.5.0").build());
        CLOCK.advance(java.time.Duration.ofMinutes(7));
      }
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }
}
