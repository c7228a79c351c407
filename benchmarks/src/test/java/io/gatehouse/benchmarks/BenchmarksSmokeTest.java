package io.gatehouse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every JMH benchmark once, briefly and on small inputs, so that a benchmark that no longer
 * compiles, sets up or runs fails the build. It measures nothing: one 100 ms iteration, no warm-up, in
 * this JVM. The benchmarks are those JMH's annotation processor listed, so a new one is run without
 * being named here; its {@code @Param}s need a small value in {@link #SMALL}.
 */
class BenchmarksSmokeTest {

  /** A small value for each benchmark parameter, by name: enough to run the code, too little to wait for. */
  static final Map<String, String> SMALL = Map.of(
      "size", "small",      // DecideBenchmark: FullPolicy.SMALL
      "lines", "1000",      // FeedLoadBenchmark
      "ranges", "1000",     // IntervalIndexBuildBenchmark, IntervalIndexLookupBenchmark
      "networks", "1000",   // PeerComparisonBenchmark
      // AccessRulesLoadBenchmark (access rules); DecideBenchmark, RulesBenchmark (custom rules: more than
      // the default hundred, so that a larger policy is seen to set up)
      "rules", "1000",
      "rateLimits", "one"); // RateLimitBenchmark

  static List<BenchmarkListEntry> benchmarks() throws IOException {
    try (InputStream in = BenchmarksSmokeTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
      assertThat(in).as("JMH's benchmark list; is the annotation processor configured?").isNotNull();
      return BenchmarkList.readBenchmarkList(in);
    }
  }

  static Stream<String> benchmarkClasses() throws IOException {
    return benchmarks().stream().map(BenchmarkListEntry::getUserClassQName).distinct().sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("benchmarkClasses")
  void runsBrieflyWithoutErrors(String benchmarkClass) throws IOException, RunnerException {
    Set<String> expected = new TreeSet<>();
    Map<String, String> params = new TreeMap<>();
    for (BenchmarkListEntry b : benchmarks()) {
      if (!b.getUserClassQName().equals(benchmarkClass)) {
        continue;
      }
      expected.add(b.getUsername());
      if (b.getParams().hasValue()) {
        for (String name : b.getParams().get().keySet()) {
          assertThat(SMALL).as("a small value for %s's @Param '%s' in BenchmarksSmokeTest.SMALL",
              benchmarkClass, name).containsKey(name);
          params.put(name, SMALL.get(name));
        }
      }
    }
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("^" + Pattern.quote(benchmarkClass + ".") + "\\w+$")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .shouldFailOnError(true);
    params.forEach(options::param);

    Collection<RunResult> results = new Runner(options.build()).run();

    assertThat(results).extracting(r -> r.getParams().getBenchmark()).containsAll(expected);
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getSampleCount()).isPositive());
  }
}
