package io.gatehouse.benchmarks;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.Expression;
import io.gatehouse.core.rules.expr.ExpressionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The rules language on its own: 100, 1,000 or 10,000 compiled rules of every kind (paths, User-Agents,
 * regexes, headers, address sets, countries, wildcards, scores, lists, decoding;
 * {@link FullPolicy#expression}) evaluated one by one, as the engine evaluates custom rules, against a
 * browser's request that none of them matches (the cost every allowed request pays), the compilation
 * of 1,000 rules (the cost of a reload), and a wildcard of many stars against a 10,000-character value
 * (the worst case of wildcard matching).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RulesBenchmark -prof gc -f 1 -wi 3 -i 5
 * </pre>
 *
 * {@code -p rules=1000} evaluates one count of rules rather than all three (the other two benchmarks do
 * not depend on it, but run at each count). {@code evaluateRules} was {@code evaluate100Rules} until
 * the count became a parameter; the figures below under that name are at 100 rules.
 *
 * <p>Last figures, 2026-11-25, on a 2-core AMD EPYC VM, JMH 1.37, {@code java -version}:
 * <pre>
 * openjdk version "17.0.15" 2025-04-15
 * OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
 * </pre>
 * Average time, ± the 99.9% interval, and bytes allocated per operation ({@code gc.alloc.rate.norm}).
 * Before is commit 51cd614, measured in the same session; other builds shared the two cores at times
 * (load average about 1.5).
 * <pre>
 *                      before                   after
 * evaluate100Rules     5,953 ± 484 ns/op        960 ± 36 ns/op
 *                      3,360 B/op               0 B/op
 * </pre>
 * Before, each of the ten regex rules ran RE2/J (about 450 ns, and a matcher allocated), and every
 * evaluation allocated its state. Now a regex runs only when the value holds one of the literals the
 * pattern requires ({@code select} or {@code <script} here, which the query lacks), and evaluation
 * allocates nothing. What remains is about 4 ns a rule for the call into a compiled rule, whose target
 * changes from one rule to the next, and the scans themselves: ten searches of the 110-character
 * User-Agent cost about 10 ns each.
 *
 * <p>Measured again later the same day with nothing else running, after the header lookups changed:
 * {@code evaluate100Rules} 935 ± 72 ns/op, 0 B/op; {@code compile1000Rules} 1.26 ± 0.13 ms/op, 4.8 MB
 * allocated, so a reload with a thousand rules spends about a millisecond compiling them.
 *
 * <p>{@code wildcardAgainstTenKilobytes}, 2026-12-01, same VM, two runs while other builds shared the
 * two cores (load average 3 to 5): 2.8 ± 4.3 and 4.6 ± 1.8 us/op, 0 B/op. That is one pass over the
 * 10,000 characters, a few tenths of a nanosecond each. {@code WildcardTest} checks the answers for the
 * same kind of input.
 *
 * <p>{@code evaluate100Rules}, 2026-12-01, after the CDN's fields and functions were added (issue 17),
 * alternating with the code before on the shared VM while other work kept its load average at 8 to 10, so
 * single figures swing by a factor of two: over three pairs of runs of ten iterations, the medians were
 * 2,568, 2,327, 2,138 ns/op before and 2,369, 2,444, 2,394 after, the best iterations 1,792, 2,114, 2,014
 * and 1,826, 2,073, 2,121; 0 B/op both. No difference shows through the noise, as none is expected: these
 * rules compile to the nodes they did before (an {@code any()} iterates its array node directly), and the
 * new fields are other nodes, reached only by the rules that name them.
 *
 * <p>2026-12-01, with {@code Expression.Index} (issue 21), nothing else running (load average about 1),
 * {@code -wi 3 -i 5}, ns/op and B/op:
 * <pre>
 * rules                               100        1,000       10,000
 * evaluateRules (one by one)        1,191       11,553      196,950      0 B
 * evaluateRulesIndexed                165          171          163      0 B
 * evaluateRulesIndexedForAScanner     309          343          367      104 B
 * </pre>
 * Through the index the browser's request evaluates no rule: its values are looked up once (the path,
 * method, country and User-Agent in hash tables after a length check, the client address in one
 * interval index) and searched once each for all the rules' literals. A JFR profile puts about nine tenths
 * of the time in those searches, a pass of one table read per character over the User-Agent, path, query,
 * host and decoded path, after the characters that start no literal are skipped (which took the figure
 * from about 300 ns to 205 ns on the loaded machine). The scanner's request finds one literal, so one
 * rule is evaluated; the 104 bytes are the list of rules found and the candidates handed back.
 * {@code indexRules}, building the index once the rules are compiled (what a reload adds): 72 us, 0.86 ms
 * and 12.3 ms for 100, 1,000 and 10,000 rules, allocating 0.18, 1.6 and 18 MB along the way.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RulesBenchmark {

  /**
   * How many rules {@link #evaluateRules} evaluates. A state of its own so that the parameter can be
   * called {@code rules} ({@code -p rules=1000}) while {@link RulesBenchmark#rules} holds the rules.
   */
  @State(Scope.Benchmark)
  public static class Count {
    @Param({"100", "1000", "10000"})
    public int rules;
  }

  private Expression[] rules;
  private Expression.Index index;
  private Expression.Context scanner;
  private String[] thousand;
  private Expression.Lists lists;
  private Expression.Context request;
  private Expression manyStars;
  private Expression.Context tenKilobyteAgent;

  @Setup(Level.Trial)
  public void setUp(Count count) throws ExpressionException {
    lists = lists();
    rules = new Expression[count.rules];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = Expression.compile(FullPolicy.expression(i), lists);
    }
    thousand = new String[1000];
    for (int i = 0; i < thousand.length; i++) {
      thousand[i] = FullPolicy.expression(i);
    }
    request = new BrowserRequest();
    for (Expression e : rules) {
      if (e.matches(request)) {
        throw new IllegalStateException("the sample request matches " + e);
      }
    }
    index = Expression.Index.of(List.of(rules));
    if (index.candidates(request).length != 0) {
      throw new IllegalStateException("the index names rules for the sample request: " + index);
    }
    scanner = new BrowserRequest(FullPolicy.BROWSER + " scanner-12");
    if (evaluateRulesIndexedForAScanner() != 1) {
      throw new IllegalStateException("the scanner's request should match rule r12 alone");
    }
    manyStars = Expression.compile("http.user_agent wildcard \"*a*a*a*a*a*a*a*a*c*b\"", lists);
    tenKilobyteAgent = new BrowserRequest("a".repeat(10_000) + "b");
    if (manyStars.matches(tenKilobyteAgent)) {
      throw new IllegalStateException("the ten-kilobyte User-Agent matches " + manyStars);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public int evaluateRules() {
    int matched = 0;
    for (Expression e : rules) {
      if (e.matches(request)) {
        matched++;
      }
    }
    return matched;
  }

  /** The same rules and request through {@link Expression.Index}, as the engine evaluates them. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public int evaluateRulesIndexed() {
    return indexed(request);
  }

  /** Through the index, a request whose User-Agent holds one rule's literal: that rule is evaluated, and matches. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public int evaluateRulesIndexedForAScanner() {
    return indexed(scanner);
  }

  private int indexed(Expression.Context r) {
    int matched = 0;
    for (int i : index.candidates(r)) {
      if (rules[i].matches(r)) {
        matched++;
      }
    }
    return matched;
  }

  /** Building the index of the compiled rules: what a reload pays on top of compiling them. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Expression.Index indexRules() {
    return Expression.Index.of(List.of(rules));
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void compile1000Rules(Blackhole bh) throws ExpressionException {
    for (String source : thousand) {
      bh.consume(Expression.compile(source, lists));
    }
  }

  /**
   * A wildcard of ten stars against a 10,000-character User-Agent that starts and ends as the pattern
   * does but lacks its {@code c}: the input on which a backtracking matcher tries every placing of the
   * stars before it gives up, and on which this one scans the whole value once for the missing piece.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean wildcardAgainstTenKilobytes() {
    return manyStars.matches(tenKilobyteAgent);
  }

  /** The named lists that {@link FullPolicy#expression}'s rules read, {@code $partners} and {@code $bad_agents}. */
  static Expression.Lists lists() {
    IntervalIndex<Boolean> partners = IntervalIndex.<Boolean>builder()
        .add(Cidr.parse("198.18.0.0/15"), Boolean.TRUE).build();
    return Expression.Lists.of(Map.of("partners", partners), Map.of(),
        Map.of("bad_agents", Set.of("masscan/1.3", "zgrab/0.x")));
  }

  /** The allowed request of {@link FullPolicy#allowed()}, as rule expressions see it. */
  static final class BrowserRequest implements Expression.Context {
    private static final IpAddress CLIENT = IpAddress.parse(FullPolicy.ALLOWED_IP);

    private final String userAgent;

    BrowserRequest() {
      this(FullPolicy.BROWSER);
    }

    /** The same request with another User-Agent. */
    BrowserRequest(String userAgent) {
      this.userAgent = userAgent;
    }

    @Override
    public IpAddress clientIp() {
      return CLIENT;
    }

    @Override
    public long asn() {
      return 64500;
    }

    @Override
    public String country() {
      return "DE";
    }

    @Override
    public String continent() {
      return "EU";
    }

    @Override
    public String host() {
      return "shop.example";
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public String uri() {
      return "/products/123?ref=home";
    }

    @Override
    public String path() {
      return "/products/123";
    }

    @Override
    public String query() {
      return "ref=home";
    }

    @Override
    public String userAgent() {
      return userAgent;
    }

    @Override
    public String referer() {
      return "https://shop.example/";
    }

    @Override
    public String cookie() {
      return "session=0123456789abcdef; theme=dark";
    }

    @Override
    public List<String> header(String lowerCaseName) {
      return List.of();
    }

    @Override
    public int threatScore() {
      return 0;
    }

    @Override
    public boolean verifiedBot() {
      return false;
    }
  }
}
