package io.gatehouse.benchmarks;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a rate limiting rule costs an allowed request: {@code decide()} on a small policy without any
 * rate limiting rule ({@code rateLimits=none}), and with one that matches every request and counts it
 * ({@code rateLimits=one}, keyed by {@code ip.src}); the difference is the rule. {@code manyKeys} spreads the
 * requests over 4,096 addresses (a counter for each), {@code oneKey} sends them all from one address,
 * and {@code oneKeyTwoThreads} does so from two threads, so both contend for one counter. The limit is
 * far above what the benchmark sends, so every request is allowed.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RateLimitBenchmark -prof gc -f 1 -wi 3 -i 5
 * </pre>
 *
 * <p>Figures are in the README's Performance section.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RateLimitBenchmark {

  private static final String RULE = """
      gatehouse.rate-limit.all.expression=starts_with(http.request.uri.path, "/api/")
      gatehouse.rate-limit.all.characteristics=ip.src
      gatehouse.rate-limit.all.period=1h
      gatehouse.rate-limit.all.requests=1000000000
      """;

  @Param({"none", "one"})
  public String rateLimits;

  private Gatehouse gatehouse;
  private RequestFacts[] spread;
  private RequestFacts single;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws ConfigException {
    String config = "gatehouse.security-level=off\n" + (rateLimits.equals("one") ? RULE : "");
    gatehouse = Gatehouse.builder().config(ConfigSource.text("bench.properties", config)).watchFiles(false)
        .environment(Map.of()).build();
    spread = new RequestFacts[4096];
    for (int i = 0; i < spread.length; i++) {
      spread[i] = request("10.1." + (i >> 8) + "." + (i & 255));
    }
    single = request("203.0.113.9");
    if (gatehouse.decide(single).action() != Action.ALLOW) {
      throw new IllegalStateException("the benchmark's request is refused");
    }
  }

  private static RequestFacts request(String ip) {
    return RequestFacts.builder().peer(ip).method("GET").host("shop.example").uri("/api/products?page=2")
        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36")
        .header("Accept", "text/html,application/xhtml+xml").header("Accept-Language", "en-GB,en;q=0.9")
        .header("Accept-Encoding", "gzip, deflate, br").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gatehouse.close();
  }

  @Benchmark
  public Decision manyKeys() {
    return gatehouse.decide(spread[next++ & (spread.length - 1)]);
  }

  @Benchmark
  public Decision oneKey() {
    return gatehouse.decide(single);
  }

  @Benchmark
  @Threads(2)
  public Decision oneKeyTwoThreads() {
    return gatehouse.decide(single);
  }
}
