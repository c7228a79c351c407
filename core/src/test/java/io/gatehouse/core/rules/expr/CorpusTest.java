package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus under {@code src/test/resources/expr/corpus.txt}: expressions as Cloudflare's documentation
 * and published rule sets write them, each with what Cloudflare does with it. Every expression that makes
 * sense at the origin loads, every one Cloudflare refuses is refused, and the figures are printed.
 */
class CorpusTest {

  /** The lists the corpus names, as a user would define them. */
  static final TestLists LISTS = new TestLists()
      .ips("allowed_ips", "203.0.113.0/24")
      .ips("ALLOWED_ADMIN_IPS", "192.0.2.0/24")
      .ips("ADMIN_IPS", "192.0.2.0/24")
      .ips("cf.open_proxies", "198.51.100.0/24")
      .ips("cf.anonymizer", "198.51.100.0/24")
      .ips("cf.vpn", "198.51.100.0/24")
      .ips("cf.malware", "198.51.100.0/24")
      .ips("cf.botnetcc", "198.51.100.0/24");

  record Entry(int line, String kind, String source, String expression) {
    boolean independent() {
      return source.startsWith("cf:") || source.startsWith("pub:");
    }

    /** Whether Cloudflare accepts the expression, in some kind of rule. */
    boolean acceptedByCloudflare() {
      return !kind.equals("refused");
    }

    /** Whether the expression makes sense at the origin: Cloudflare accepts it, it needs no data only Cloudflare has, and it can match. */
    boolean sensibleAtTheOrigin() {
      return kind.equals("valid") || kind.equals("context");
    }

    @Override
    public String toString() {
      String e = expression.length() > 90 ? expression.substring(0, 87) + "..." : expression;
      return "corpus.txt:" + line + ": " + kind + ": " + e;
    }
  }

  static List<Entry> entries() throws IOException {
    List<Entry> out = new ArrayList<>();
    List<String> lines;
    try (InputStream in = CorpusTest.class.getResourceAsStream("/expr/corpus.txt")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(" ;; ", 3);
      if (parts.length != 3 || !parts[0].matches("valid|context|cdn-only|never|refused")) {
        throw new IllegalStateException("corpus.txt:" + (i + 1) + " is not KIND ;; SOURCE ;; EXPRESSION");
      }
      out.add(new Entry(i + 1, parts[0], parts[1], parts[2]));
    }
    return out;
  }

  static List<Entry> sensible() throws IOException {
    return entries().stream().filter(Entry::sensibleAtTheOrigin).toList();
  }

  static List<Entry> unloadable() throws IOException {
    return entries().stream().filter(e -> !e.sensibleAtTheOrigin()).toList();
  }

  private static boolean loads(Entry e) {
    try {
      Expression.compile(e.expression(), LISTS);
      return true;
    } catch (ExpressionException ex) {
      return false;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sensible")
  void everyExpressionThatMakesSenseAtTheOriginLoads(Entry e) throws ExpressionException {
    Expression.compile(e.expression(), LISTS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unloadable")
  void everyExpressionCloudflareRefusesOrThatCannotWorkHereIsRefused(Entry e) {
    assertThatThrownBy(() -> Expression.compile(e.expression(), LISTS)).as(e.toString())
        .isInstanceOf(ExpressionException.class);
  }

  @Test
  void theIndependentCorpusLoadsAsRequired() throws IOException {
    List<Entry> all = entries();
    String figures = figures("independent (cf: and pub:)", all, Entry::independent) + "\n"
        + figures("whole corpus", all, e -> true);
    System.out.println(figures);
    List<Entry> independent = all.stream().filter(Entry::independent).toList();
    List<Entry> valid = independent.stream().filter(Entry::acceptedByCloudflare).toList();
    long loaded = valid.stream().filter(CorpusTest::loads).count();
    assertThat(independent).as("the independent corpus").hasSizeGreaterThanOrEqualTo(120);
    assertThat((double) loaded / valid.size()).as(figures).isGreaterThanOrEqualTo(0.95);
  }

  private static String figures(String name, List<Entry> all, Predicate<Entry> which) {
    List<Entry> part = all.stream().filter(which).toList();
    List<Entry> valid = part.stream().filter(Entry::acceptedByCloudflare).toList();
    long loaded = valid.stream().filter(CorpusTest::loads).count();
    List<Entry> sensible = part.stream().filter(Entry::sensibleAtTheOrigin).toList();
    long sensibleLoaded = sensible.stream().filter(CorpusTest::loads).count();
    List<Entry> refused = part.stream().filter(e -> e.kind().equals("refused")).toList();
    long refusedHere = refused.stream().filter(e -> !loads(e)).count();
    return String.format(Locale.ROOT, "%s: %d expressions; %d of %d that Cloudflare accepts load (%.1f%%); %d of %d"
        + " that make sense at the origin load; %d of %d that Cloudflare refuses are refused", name, part.size(),
        loaded, valid.size(), 100.0 * loaded / valid.size(), sensibleLoaded, sensible.size(), refusedHere,
        refused.size());
  }
}
