package io.gatehouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.core.Action;
import io.gatehouse.core.Challenge;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Explanation;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * Properties text, read and loaded. The reader must agree with {@link Properties} wherever it finds no
 * problem, and a whole load through {@link Gatehouse.Builder#build()} may fail only with a
 * {@link ConfigException}; what loads must then decide and explain a few requests with no internal
 * failure, and a challenge it issues must be verified (solved, when it is easy enough to solve here).
 *
 * <p>The configuration is loaded from a file in a sandbox under {@code target/}, beside small data files
 * it may name (a feed, a list, a rules file, geo data, a page template). A configuration that would reach
 * beyond the sandbox, a URL feed or any path outside it, is not loaded: the fuzzer must neither touch the
 * machine's files nor the network. DNS is answered by a resolver that knows nothing.
 *
 * <p>{@code core/fuzz.sh configuration} fuzzes this for longer.
 */
class ConfigurationFuzzTest {

  private static final Path SANDBOX = sandbox();
  private static final Path FILE = SANDBOX.resolve("fuzz.properties");
  private static final Map<String, String> ENVIRONMENT = Map.of("GATEHOUSE_FUZZ_TOKEN", "fuzz-admin-token-0123456789",
      "GATEHOUSE_FUZZ_EMPTY", "");
  /** Challenges up to this difficulty are solved (a few hundred hashes), harder ones answered wrongly. */
  private static final int MAX_SOLVED = 8;
  /** Runs the configuration watch of every engine; each is closed, and its watch ends, within one execution. */
  private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fuzz-config-watch");
    t.setDaemon(true);
    return t;
  });
  private static final CrawlerVerifier.DnsResolver NO_DNS = new CrawlerVerifier.DnsResolver() {
    @Override
    public List<String> reverse(IpAddress address) {
      return List.of();
    }

    @Override
    public List<IpAddress> forward(String name) {
      return List.of();
    }
  };
  /** Keys whose value is a path (or a URL) the engine reads; values must stay inside the sandbox. */
  private static final Pattern PATH_KEYS = Pattern.compile("gatehouse\\.(access-rules\\.file|geo\\..*"
      + "|reputation\\.feed\\..*\\.source|reputation\\.cache-dir|bots\\.ranges\\..*|page\\.template\\..*)");

  @FuzzTest(maxDuration = "10s")
  @DictionaryFile(resourcePath = "ConfigurationFuzzTest.dict")
  void loadsAnyProperties(FuzzedDataProvider data) throws IOException {
    byte[] bytes = data.consumeRemainingAsBytes();
    String text = utf8(bytes);
    if (text != null && !readsAsPropertiesDo(text)) {
      return;
    }
    Files.write(FILE, bytes);

    Gatehouse g;
    try {
      g = Gatehouse.builder().config(ConfigSource.file(FILE)).environment(ENVIRONMENT).watchScheduler(WATCH)
          .dnsResolver(NO_DNS).behaviourExecutor(Runnable::run).build();
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      return;
    }
    try (g) {
      for (RequestFacts r : REQUESTS) {
        Decision d = g.decide(r);
        assertThat(d).isNotNull();
        Explanation x = g.explain(r);
        assertThat(x).isNotNull();
        g.observeResponse(d, r, 404);
        if (d.action() == Action.CHALLENGE) {
          Challenge c = g.issueChallenge(d, r);
          Challenge.Verdict v = g.verifyChallenge(r, c.token(), solve(c), 100);
          assertThat(v.solved()).as("%s", v.reason()).isEqualTo(c.difficulty() <= MAX_SOLVED);
        }
      }
      assertThat(g.internalFailures()).as("internal failures deciding the requests").isZero();
      assertThat(g.status()).isNotNull();
    }
  }

  /**
   * The reader and the interpolation on their own; false when the text names a file outside the sandbox
   * or a URL, which is then not loaded.
   */
  private static boolean readsAsPropertiesDo(String text) throws IOException {
    ConfigException.Collector problems = new ConfigException.Collector();
    List<ConfigSource.Entry> entries = PropertiesReader.read("fuzz.properties", text, problems);
    if (problems.isEmpty() && !text.startsWith("\uFEFF")) {
      agreesWithProperties(text, entries);
    }
    for (ConfigSource.Entry e : entries) {
      assertThat(e.line()).isPositive();
      assertThat(e.valueColumn()).isPositive();
    }
    List<ConfigSource.Entry> interpolated = Interpolator.apply(entries, ENVIRONMENT, new ConfigException.Collector());
    assertThat(interpolated.size()).isLessThanOrEqualTo(entries.size());

    return staysInSandbox(interpolated);
  }

  /** The bytes as UTF-8, or {@code null} when they are not UTF-8 (the load must then refuse them). */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The counter that solves {@code c}, for a difficulty up to {@link #MAX_SOLVED}; beyond, one that does not. */
  private static String solve(Challenge c) {
    for (int n = 0; c.difficulty() <= MAX_SOLVED; n++) {
      if (c.solvedBy(Integer.toString(n))) {
        return Integer.toString(n);
      }
    }
    return "x";
  }

  /** Where {@link PropertiesReader} finds no problem, it reads what {@link Properties} reads. */
  private static void agreesWithProperties(String text, List<ConfigSource.Entry> entries) throws IOException {
    Properties jdk = new Properties();
    jdk.load(new StringReader(text));
    Map<String, String> ours = new HashMap<>();
    for (ConfigSource.Entry e : entries) {
      ours.put(e.key(), e.value());
    }
    Map<String, String> theirs = new HashMap<>();
    jdk.stringPropertyNames().forEach(k -> theirs.put(k, jdk.getProperty(k)));
    // Properties makes the empty key of a last line that is only a backslash; the reader never makes an
    // empty key (a line with one is a problem), and has nothing to read there.
    if (text.stripTrailing().endsWith("\\") && "".equals(theirs.get(""))) {
      theirs.remove("");
    }
    assertThat(ours).as("entries of %s", text).isEqualTo(theirs);
  }

  /** Whether every file the configuration names lies inside the sandbox, and it names no URL. */
  private static boolean staysInSandbox(List<ConfigSource.Entry> entries) {
    for (ConfigSource.Entry e : entries) {
      String v = e.value().trim();
      String file;
      if (PATH_KEYS.matcher(e.key()).matches()) {
        file = v.startsWith("file:") ? v.substring(5) : v;
      } else if (e.key().startsWith("gatehouse.list.")) {
        for (String kind : new String[] {"ip:", "asn:", "string:"}) {
          if (v.startsWith(kind)) {
            v = v.substring(kind.length()).trim();
          }
        }
        if (!v.startsWith("file:")) {
          continue;
        }
        file = v.substring(5).trim();
      } else {
        continue;
      }
      if (file.toLowerCase(Locale.ROOT).contains("://")) {
        return false;
      }
      try {
        if (!SANDBOX.resolve(file).normalize().startsWith(SANDBOX)) {
          return false;
        }
      } catch (InvalidPathException ex) {
        // The engine reports it as a problem without reading anything.
      }
    }
    return true;
  }

  private static final List<RequestFacts> REQUESTS = List.of(
      RequestFacts.builder().peer("203.0.113.9").method("GET").host("shop.example").uri("/login?next=%2F")
          .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")
          .header("Accept", "text/html").header("Accept-Language", "en").header("Cookie", "gatehouse_clearance=x.y")
          .build(),
      RequestFacts.builder().peer("10.0.0.1").method("POST").host("shop.example").uri("/api/orders")
          .header("X-Forwarded-For", "198.51.100.7, 10.0.0.2").header("Forwarded", "for=\"[2001:db8::1]:80\"")
          .header("X-Real-IP", "192.0.2.1").header("User-Agent", "curl/8.5.0").build(),
      RequestFacts.builder().peer("2001:db8:1::7").method("GET").host("shop.example").uri("/__gatehouse/status")
          .header("Authorization", "Bearer fuzz-admin-token-0123456789")
          .header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").build(),
      RequestFacts.builder().peer("not an address").method("").host("").uri("").build());

  /** A fresh sandbox under {@code target/}, holding small copies of every kind of data file. */
  private static Path sandbox() {
    try {
      Path dir = Path.of("target", "fuzz-sandbox", "configuration").toAbsolutePath().normalize();
      Files.createDirectories(dir);
      for (String[] copy : new String[][] {{"/feeds/drop.txt", "drop.txt"}, {"/feeds/scores.csv", "scores.csv"},
          {"/feeds/exit-addresses", "exit-addresses"}, {"/feeds/firehol_level1.netset", "level1.netset"},
          {"/rules/own.json", "rules.json"}, {"/rules/cdn-export.json", "export.json"},
          {"/geo/GeoLite2-ASN-Test.mmdb", "asn.mmdb"}, {"/geo/GeoLite2-Country-Test.mmdb", "country.mmdb"},
          {"/geo/ip2asn-combined.tsv", "ip2asn.tsv"}, {"/crawlers/googlebot.json", "googlebot.json"}}) {
        try (InputStream in = ConfigurationFuzzTest.class.getResourceAsStream(copy[0])) {
          Files.copy(in, dir.resolve(copy[1]), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.writeString(dir.resolve("offices.txt"), "# offices\n192.0.2.0/24\n2001:db8:1::/48\n");
      Files.writeString(dir.resolve("asns.txt"), "AS64496\n64511\n");
      Files.writeString(dir.resolve("1012.html"), "<h1>{{error_code}} {{title}}</h1><p>{{ray_id}} {{client_ip}}</p>");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
