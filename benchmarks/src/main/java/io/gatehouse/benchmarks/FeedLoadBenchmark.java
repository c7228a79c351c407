package io.gatehouse.benchmarks;

import io.gatehouse.core.reputation.FeedFormat;
import io.gatehouse.core.reputation.FeedParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private FeedParser.Parsed loaded;
  private int[] probes;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("gatehouse-feed");
    FullPolicy.write(dir, new FullPolicy.Size(1, lines * 10 / 7 + 1, 0, 1));
    feed = dir.resolve("feed-a.netset");
    loaded = loadPlainFeed();
    // Half the probes are the first address of a listed network, half anywhere, as at the edge.
    java.util.List<String> listed = Files.readAllLines(feed, StandardCharsets.UTF_8);
    java.util.Random r = new java.util.Random(7);
    probes = new int[1 << 14];
    for (int i = 0; i < probes.length; i++) {
      if (i % 2 == 0) {
        String line = listed.get(2 + r.nextInt(listed.size() - 2));
        int slash = line.indexOf('/');
        probes[i] = (int) io.gatehouse.core.net.IpAddress.parse(slash < 0 ? line : line.substring(0, slash)).lo();
      } else {
        probes[i] = r.nextInt();
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The score of an address in the loaded feed: what reputation costs a request. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Integer scoreLookup() {
    int i = next++ & (probes.length - 1);
    return loaded.scores().getV4(probes[i]);
  }

  @Benchmark
  public FeedParser.Parsed loadPlainFeed() throws IOException {
    try (Reader r = Files.newBufferedReader(feed, StandardCharsets.UTF_8)) {
      return FeedParser.parse(r, FeedFormat.AUTO, 60);
    }
  }
}
