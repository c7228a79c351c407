package io.gatehouse.benchmarks;

import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.reputation.FeedRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a reputation feed of a million lines from disk, as a refresh does: read, parse every line,
 * build the index (the design's target is one second); and looking an address's score up in it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FeedLoadBenchmark -prof gc
 * </pre>
 *
 * <p>Last figures, 2026-11-25, on a 2-core AMD EPYC VM, JMH 1.37, 2 GiB heap, nothing else running:
 * <pre>
 * openjdk version "17.0.15" 2025-04-15
 * OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
 * OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
 * </pre>
 * A million lines load in 929 ± 441 ms, allocating 369 MB on the way (the lines as strings, the parsed
 * networks, the sort buffers); the wide interval is the collector's. The loaded index keeps about 12
 * bytes per range ({@link IntervalIndexFootprint}), and {@code scoreLookup}, an address's score in the
 * loaded feed (half listed, half anywhere), costs 24.3 ± 0.8 ns and allocates nothing. A refresh loads in the background and swaps the new index in
 * atomically, so requests never wait for it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class FeedLoadBenchmark {

  @Param({"1000000"})
  public int lines;

  private Path dir;
  private Path feed;
  private FeedRegistry loaded;
  private IpAddress[] probes;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("gatehouse-feed");
    FullPolicy.write(dir, new FullPolicy.Size(1, lines * 10 / 7 + 1, 0, 1));
    feed = dir.resolve("feed-a.netset");
    loaded = open();
    // Half the probes are the first address of a listed network, half anywhere, as at the edge.
    List<String> listed = Files.readAllLines(feed, StandardCharsets.UTF_8);
    Random r = new Random(7);
    probes = new IpAddress[1 << 14];
    for (int i = 0; i < probes.length; i++) {
      if (i % 2 == 0) {
        String line = listed.get(2 + r.nextInt(listed.size() - 2));
        int slash = line.indexOf('/');
        probes[i] = IpAddress.parse(slash < 0 ? line : line.substring(0, slash));
      } else {
        probes[i] = IpAddress.ofV4(r.nextInt());
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    loaded.close();
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The score of an address in the loaded feed: what reputation costs a request. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public FeedRegistry.Hit scoreLookup() {
    int i = next++ & (probes.length - 1);
    return loaded.lookup(probes[i]);
  }

  /** Loading a feed of a million lines, as at start or reload: parsing and merging into the lookup table. */
  @Benchmark
  public List<FeedRegistry.Status> loadPlainFeed() throws IOException {
    try (FeedRegistry registry = open()) {
      return registry.status();
    }
  }

  private FeedRegistry open() throws IOException {
    FeedRegistry registry = new FeedRegistry(Clock.systemUTC(), System::nanoTime);
    Map<String, String> problems = new HashMap<>();
    FeedRegistry.Prepared prepared = registry.prepare(List.of(new FeedRegistry.Spec("bench", null, feed, 60,
        FeedRegistry.Format.AUTO, Duration.ofDays(1))), null, Duration.ofSeconds(5), problems);
    if (!problems.isEmpty()) {
      registry.close();
      throw new IOException(problems.toString());
    }
    registry.commit(prepared);
    return registry;
  }
}
