package io.gatehouse.benchmarks;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import java.io.IOException;
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
 * {@code decide()} with a fully loaded policy ({@link FullPolicy#FULL}: 100,000 access rules, feeds
 * totalling 1,000,000 ranges, 100 custom rules, 400,000 geo ranges), for a request that passes every
 * phase and for requests stopped by an access rule, by reputation and by the Browser Integrity Check.
 * Sample time, so that the median and tail show; with {@code -prof gc} for bytes per decision.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DecideBenchmark -prof gc
 * </pre>
 * The number of custom rules is the parameter {@code rules}, 100, 1,000 and 10,000 ({@code -p rules=1000}
 * for one), with either {@code size}; the figures below are at 100.
 *
 * <p>Last figures, 2026-11-25, on a 2-core AMD EPYC VM, JMH 1.37, 2 GiB heap, nothing else running:
 * <pre>
 * openjdk version "17.0.15" 2025-04-15
 * OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
 * OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
 * </pre>
 * Sample time in ns, and bytes allocated per decision ({@code gc.alloc.rate.norm}):
 * <pre>
 *                          median     p90      p99     bytes
 * allowed                   1,472   1,582   12,128       200
 * blockedByAccessRule         501     751    1,162       856
 * blockedByReputation       1,982   3,104    4,885     1,616
 * blockedByIntegrityCheck   2,392   9,920   23,936     1,617
 * </pre>
 * On 2026-12-01, after the visitor-fairness work, the allowed request measured 1,512 to 1,562 ns median
 * (six runs) and 216 bytes, against 1,452 to 1,492 ns (one run 1,622) and 200 bytes for the code before
 * it, alternating in the same session ({@code -wi 3 -i 5}): +3 to +5%. About 40 ns go to noting the browser signature for
 * shared-address detection; who the visitor is and its score are answered by a presence filter, without
 * reading the clearance cookie, unless the visitor may have evidence. A first version that always read
 * the cookie and hashed the User-Agent for the clearance's binding cost +45%. The 16 bytes are the
 * evaluation's new fields.
 *
 * The reputation case now asks a feed with {@code action=block}, since listings challenge by default.
 *
 * <p>2026-12-01, after the CDN's fields and functions were added to the rules language (issue 17), the
 * allowed request against the code before, alternating, on the shared VM (load average 5 to 10): median
 * 1,542, 1,552, 1,532, 1,552, 1,532, 1,542 ns before and 1,562, 2,252, 1,552, 1,552, 1,572, 1,532 ns after
 * (one noisy run); 225.9 B/op both (a first version that kept the new fields' state in the evaluation
 * itself allocated 257). These 100 rules read none of the new fields, so they pay for none of them.
 *
 * <p>Before that work the allowed request met the 200-byte target (the {@code Decision}, the client
 * address and the evaluation's state), which it now misses by 16, and it misses the 1 us median target: without the 100 custom rules it is decided in
 * about 180 ns, and the rules cost about 1.3 us of the 1.47. Where that goes was measured by taking one
 * kind of rule (ten rules, {@link FullPolicy#expression}) out of the hundred at a time, with
 * {@link FullPolicy#SMALL}'s indexes, best of 15 rounds of 200,000 decisions (1,413 ns with all 100):
 * <pre>
 * kind of rule (ten of each)                         cost in the mix     alone
 * path eq                                             8 ns a rule        2 ns
 * starts_with(path) and not ip in $list              14                  6
 * user_agent contains                                18                 14
 * query matches (literal prefilter rejects)          18                 13
 * any(headers["x-debug-N"][*] eq "1")                10                  6
 * ip.src in {networks}                               12                  5
 * country in {...} and method eq and path contains   18                  7
 * host wildcard                                      10                  5
 * threat_score gt and method in and ends_with(path)   8                  6
 * lower(url_decode(path)) contains or ua in $list    18                 16
 * </pre>
 * No operator dominates. Each rule costs 2 to 11 ns more among the hundred than among ten of its own
 * kind: its compiled tree is a few small objects reached through calls whose target changes from rule
 * to rule, and a hundred trees no longer sit in the first-level cache together, so every rule pays
 * for fetching its nodes and for dispatch. Testing a rule's cheapest necessary comparison first, in a
 * call all rules share, was tried and gained nothing measurable, since the nodes are fetched either way.
 * Refusals cost more than the allowed request because they make a Ray ID and record an event; the tail
 * (p99) is the collector's and the shared VM's.
 *
 * <p>2026-12-01, after the allocation work, {@code -prof gc -wi 3 -i 3}: the allowed request allocates
 * 144.4 B/op against 240.5 before (full policy; small: 144.4 against 242.1), the resolved client address
 * (an {@code IpAddress}, 32, and its {@code ClientIp}, 24), the evaluation (64, was 120) and the decision
 * (24, was 64: a plain allow shares what decided), within the 200-byte target again. The refusals
 * allocate what they did (small: 880, 1,702 to 1,713 and 1,736 B/op). Medians, alternating on the
 * shared VM (small, {@code -i 5}): 1,612, 1,642, 2,392 ns before and 1,612, 1,612, 1,632 ns after; full
 * 1,602 before, 1,522 after.
 *
 * <p>2026-12-01, with the custom rules evaluated through {@code Expression.Index} (issue 21) and the
 * allocation work above, nothing else running (load average 1 to 2), full policy, {@code -wi 3 -i 5}, two
 * runs. Median (p90) in ns, bytes per decision:
 * <pre>
 * custom rules                 100               1,000             10,000
 * allowed              591 (1,022)       822 (1,160)       851 (1,180)      first run
 *                      791 (1,152)       611 (1,092)       591 (932)        second run
 *                      144 B             144 B             144 B
 * blockedByAccessRule          862               712               792      880 B
 * blockedByReputation        1,382             1,712             1,252      1,736 B
 * blockedByIntegrityCheck    2,404             1,802             2,504      1,705 B
 * </pre>
 * Before, the allowed request took 1,472 to 1,572 ns with 100 rules and grew with every rule (each
 * costs 4 to 18 ns, see above): {@code RulesBenchmark.evaluateRules}, the rules one by one as before,
 * takes 1.2 us for 100, 11.6 us for 1,000 and 197 us for 10,000 on the same request. Through the index,
 * that request holds none of the rules' literals and evaluates no rule; what is left is about 165 ns of
 * lookups and scans that do not grow with the rules, so the three counts differ by less than two runs of
 * one count do (the runs differ by where the JIT and the collector leave things, not by the rules).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class DecideBenchmark {

  /** {@code full} for the figures, {@code small} for the build's quick run. */
  @Param({"full"})
  public String size;

  /** How many custom rules ({@link FullPolicy#expression}) the policy has, whatever its size. */
  @Param({"100", "1000", "10000"})
  public int rules;

  private Path dir;
  private Gatehouse gatehouse;
  private RequestFacts allowed;
  private RequestFacts accessRule;
  private RequestFacts reputation;
  private RequestFacts integrity;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("gatehouse-decide");
    FullPolicy.Size base = switch (size) {
      case "full" -> FullPolicy.FULL;
      case "small" -> FullPolicy.SMALL;
      default -> throw new IllegalArgumentException("size '" + size + "': expected full or small");
    };
    gatehouse = FullPolicy.engine(FullPolicy.write(dir, base.withRules(rules)));
    allowed = FullPolicy.allowed();
    accessRule = FullPolicy.blockedByAccessRule();
    reputation = FullPolicy.blockedByReputation();
    integrity = FullPolicy.blockedByIntegrityCheck();
    // Check that each request is decided where its name says, or the figures would mean nothing.
    expect(allowed, Action.ALLOW, "NONE");
    expect(accessRule, Action.BLOCK, "ACCESS_RULES");
    expect(reputation, Action.BLOCK, "SECURITY_LEVEL");
    expect(integrity, Action.BLOCK, "BROWSER_INTEGRITY_CHECK");
  }

  private void expect(RequestFacts facts, Action action, String source) {
    Decision d = gatehouse.decide(facts);
    if (d.action() != action || !d.source().name().equals(source)) {
      throw new IllegalStateException("expected " + action + " by " + source + " for " + facts + ", got " + d);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    gatehouse.close();
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Decision allowed() {
    return gatehouse.decide(allowed);
  }

  @Benchmark
  public Decision blockedByAccessRule() {
    return gatehouse.decide(accessRule);
  }

  @Benchmark
  public Decision blockedByReputation() {
    return gatehouse.decide(reputation);
  }

  @Benchmark
  public Decision blockedByIntegrityCheck() {
    return gatehouse.decide(integrity);
  }
}
