package io.gatehouse.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import io.gatehouse.core.Action;
import io.gatehouse.core.Challenge;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.CrawlerVerifier.DnsResolver;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.net.IpAddress;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;
import org.openjdk.jol.info.GraphLayout;

/**
 * The heap an attacker can make Gatehouse keep with default settings: a flood of maximal requests, each
 * from an address of its own, is sent through the same calls the servlet filter makes ({@code decide},
 * then {@code issueChallenge} and a garbage {@code verifyChallenge} for a challenge,
 * {@code observeResponse} with a 404 for an allowed request), and afterwards every piece of state that
 * outlives a request is measured.
 *
 * <h2>The flood</h2>
 * Each request comes from a new address (IPv4 and IPv6, every IPv6 address in a /64 of its own) and
 * carries a User-Agent, path and query of 8 KiB, a host of 2 KiB, 40 padding headers of 200 characters, an
 * {@code Accept-Language} of 256, and a 4 KiB cookie with a forged clearance; every other request has a
 * character outside Latin-1 in each of them, so that Java keeps them as UTF-16, two bytes a character.
 * Every sixteenth has an 8 KiB method. Every third User-Agent is 1,024 characters instead, the longest
 * the integrity check and the crawler claims remember, and one in four of those claims to be Googlebot,
 * so that crawler verification asks DNS (a stub that answers at once with a 253-character name the
 * attacker controls). Defaults throughout, plus what the flood needs to be answered in every way:
 * <pre>
 * gatehouse.rule.flood.expression=starts_with(http.request.uri.path, "/admin/")      # blocked (1020)
 * gatehouse.rule.flood.action=block
 * gatehouse.config-rule.open.expression=starts_with(http.request.uri.path, "/open/")
 * gatehouse.config-rule.open.set=browser_integrity_check=off                          # allowed, then 404
 * gatehouse.config-rule.guarded.expression=starts_with(http.request.uri.path, "/guarded/")
 * gatehouse.config-rule.guarded.set=security_level=under_attack, browser_integrity_check=off  # challenged
 * </pre>
 * and every other path is refused by the Browser Integrity Check (1012). Of eight requests, two are
 * blocked by the rule, three by the check, one is challenged (and posts a garbage solution), two are
 * allowed (and answered 404). The clock stands still, so that nothing expires during the flood.
 *
 * <p>What only solved proofs of work add (redeemed tokens, revoked clearances: at difficulty 18 each
 * costs the attacker a quarter of a million hashes) is filled to its bound directly, with as many
 * entries as there were requests.
 *
 * <h2>How it is measured</h2>
 * Each component is measured with JOL ({@link GraphLayout}), which walks the object graph and adds up
 * the size of every object in it: exact, and not disturbed by garbage or by when the collector last ran.
 * The components are reached by their field names, since the engine does not hand them out; the total is
 * one walk over all of them, so that an object two components share is counted once. A walk from the
 * {@link Gatehouse} itself would reach threads (the crawler verification pool), and through them the
 * class loader and most of the JVM, so the total is cross-checked instead by the used heap after a
 * full collection, before and after the flood: that catches anything the list of components misses
 * (thread-locals, statics), to within the collector's noise.
 *
 * <p>Run, after {@code mvn -B -q package -DskipTests}:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.FloodFootprint [addresses]
 * </pre>
 * (1,000,000 addresses by default; the build's smoke run sends a few thousand). It exits with status 1
 * when what the flood added is more than 64 MiB.
 *
 * <p>Last figures, 2026-12-01, on a 2-core AMD EPYC VM (24 GiB, default heap of 6 GiB, so compressed
 * references), JOL 0.17, Caffeine 3.2.3, OpenJDK 17.0.15 ({@code 17.0.15+6-Debian-1deb12u1}), 1,000,000
 * addresses in 4 min 47 s (3 min 7 s of CPU):
 * <pre>
 * 1,000,000 requests from as many addresses: {ALLOW=324112, BLOCK=550888, CHALLENGE=125000}
 * component                         entries   bytes before    bytes after  MiB added
 * events                              1,894            600     16,249,216      15.50
 * behaviour                          59,439         28,952     16,428,832      15.64
 * shared addresses                   65,536      2,359,392     10,748,000       8.00
 * challenge state                    57,344         76,056      8,661,672       8.19
 * integrity-check profiles              674          1,360      1,024,192       0.98
 * crawler claims                        622          1,360      1,007,744       0.96
 * crawler DNS results                10,000          6,432      4,340,824       4.13
 * total (JOL, shared once)                       2,473,752     58,235,744      53.18
 * used heap after full GC                                                      53.93
 * event log's own estimate: 16,776,272 bytes for 16,249,216 measured by JOL
 * limit 64 MiB: within
 * </pre>
 * Every component is at its bound: the event log at 16 MiB (1,894 maximal events: about 8.6 KB each, the
 * count of 10,000 never reached), the behaviour tracker at 16 MiB (visitors and addresses half each), the
 * shared-address table full, the challenge state at its three bounds (32,768 + 8,192 + 16,384), the two
 * User-Agent caches at 1 MiB each and crawler verification at its 10,000 results. What Gatehouse holds
 * afterwards is 55.5 MiB, of which 2.4 MiB (the empty shared-address table) it held before. Before these
 * bounds, the same flood kept 177 MiB after 100,000 addresses (measured), and by the figures per entry
 * would have kept over 400 MiB after a million: ten thousand events of 8.9 KB, a visitor and an address
 * entry for every request with evidence, up to a million of each, and 200,000 entries in each of the
 * challenge's three maps.
 */
public final class FloodFootprint {

  /** What an attacker may make Gatehouse keep, with default settings. */
  public static final long LIMIT_BYTES = 64L << 20;

  private static final int BIG = 8 * 1024;
  private static final int CACHED_AGENT = 1024;
  private static final String CONFIG = String.join("\n",
      "gatehouse.rule.flood.expression=starts_with(http.request.uri.path, \"/admin/\")",
      "gatehouse.rule.flood.action=block",
      "gatehouse.config-rule.open.expression=starts_with(http.request.uri.path, \"/open/\")",
      "gatehouse.config-rule.open.set=browser_integrity_check=off",
      "gatehouse.config-rule.guarded.expression=starts_with(http.request.uri.path, \"/guarded/\")",
      "gatehouse.config-rule.guarded.set=security_level=under_attack, browser_integrity_check=off",
      "");

  /** A 253-character name under the attacker's own domain, the longest DNS allows. */
  private static final String PTR_NAME = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
      + "d".repeat(49) + ".evil.example";

  private static final DnsResolver ATTACKER_DNS = new DnsResolver() {
    @Override
    public List<String> reverse(IpAddress address) {
      return List.of(PTR_NAME);
    }

    @Override
    public List<IpAddress> forward(String name) {
      return List.of();
    }
  };

  private FloodFootprint() {}

  /** What one component holds after the flood. */
  public record Component(String name, long entries, long bytesBefore, long bytesAfter) {
    public long added() {
      return bytesAfter - bytesBefore;
    }
  }

  /**
   * The figures of one flood.
   *
   * @param requests requests sent, each from its own address
   * @param outcomes how many were allowed, blocked and challenged
   * @param components each component, measured by JOL
   * @param totalBefore all components together before the flood (shared objects counted once)
   * @param totalAfter the same after it
   * @param heapAdded the used heap after a full collection, after the flood less before it
   * @param eventsEstimate the event log's own estimate of the bytes it holds
   */
  public record Report(int requests, Map<Action, Integer> outcomes, List<Component> components, long totalBefore,
      long totalAfter, long heapAdded, long eventsEstimate) {

    /** What the flood added, by JOL. */
    public long added() {
      return totalAfter - totalBefore;
    }

    public Component component(String name) {
      return components.stream().filter(c -> c.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no component '" + name + "'"));
    }

    public String table() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "%,d requests from as many addresses: %s%n", requests, outcomes));
      out.append(String.format(Locale.ROOT, "%-28s %12s %14s %14s %10s%n", "component", "entries", "bytes before",
          "bytes after", "MiB added"));
      for (Component c : components) {
        out.append(String.format(Locale.ROOT, "%-28s %,12d %,14d %,14d %10.2f%n", c.name(), c.entries(),
            c.bytesBefore(), c.bytesAfter(), c.added() / 1048576.0));
      }
      out.append(String.format(Locale.ROOT, "%-28s %12s %,14d %,14d %10.2f%n", "total (JOL, shared once)", "",
          totalBefore, totalAfter, added() / 1048576.0));
      out.append(String.format(Locale.ROOT, "%-28s %12s %14s %14s %10.2f%n", "used heap after full GC", "", "", "",
          heapAdded / 1048576.0));
      out.append(String.format(Locale.ROOT, "event log's own estimate: %,d bytes for %,d measured by JOL%n",
          eventsEstimate, component("events").bytesAfter()));
      out.append(String.format(Locale.ROOT, "limit %,d MiB: %s%n", LIMIT_BYTES >> 20,
          added() <= LIMIT_BYTES && heapAdded <= LIMIT_BYTES ? "within" : "EXCEEDED"));
      return out.toString();
    }
  }

  public static void main(String[] args) throws Exception {
    int addresses = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
    System.out.println(ManagementFactory.getRuntimeMXBean().getVmName() + " "
        + System.getProperty("java.runtime.version") + ", max heap "
        + Runtime.getRuntime().maxMemory() / 1048576 + " MiB, " + ManagementFactory.getRuntimeMXBean()
        .getInputArguments());
    Report r = run(addresses);
    System.out.print(r.table());
    if (r.added() > LIMIT_BYTES || r.heapAdded() > LIMIT_BYTES) {
      System.exit(1);
    }
  }

  /** Sends the flood from {@code addresses} addresses and measures what stays. */
  public static Report run(int addresses) throws ConfigException, InterruptedException {
    // Caffeine's graph holds lambdas, whose fields JOL can only place this way; set before JOL starts.
    System.setProperty("jol.magicFieldOffset", "true");
    try (Gatehouse g = Gatehouse.builder()
        .config(ConfigSource.text("flood.properties", CONFIG))
        .watchFiles(false)
        .ticker(() -> 0L)
        // Evictions on the caller's thread: settled when measured, and no pool in the measured graph.
        .behaviourExecutor(Runnable::run)
        .dnsResolver(ATTACKER_DNS)
        .build()) {
      List<String> names = List.of("events", "behaviour", "shared addresses", "challenge state",
          "integrity-check profiles", "crawler claims", "crawler DNS results");
      List<ToLongFunction<Gatehouse>> counts = List.of(
          x -> x.events().size(),
          x -> x.status().trackedAddresses(),
          x -> invokeLong(field(x, "shared"), "size"),
          x -> caches(field(x, "state", "challenges")).stream().mapToLong(Cache::estimatedSize).sum(),
          x -> cache(x, "engine", "policy", "bots", "check", "profiles").estimatedSize(),
          x -> cache(x, "engine", "policy", "bots", "verifier", "claims", "byAgent").estimatedSize(),
          x -> cache(x, "engine", "policy", "bots", "verifier", "dns", "cache").estimatedSize());
      long[] before = sizes(roots(g));
      long totalBefore = GraphLayout.parseInstance(roots(g)).totalSize();
      long heapBefore = usedHeapAfterGc();

      Map<Action, Integer> outcomes = flood(g, addresses);
      fillProofOfWorkState(field(g, "state", "challenges"), addresses);
      settle(g);

      long heapAfter = usedHeapAfterGc();
      Object[] after = roots(g);
      long[] sizesAfter = sizes(after);
      long totalAfter = GraphLayout.parseInstance(after).totalSize();
      List<Component> components = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        components.add(new Component(names.get(i), counts.get(i).applyAsLong(g), before[i], sizesAfter[i]));
      }
      return new Report(addresses, outcomes, components, totalBefore, totalAfter, heapAfter - heapBefore,
          estimatedEventBytes(g.events()));
    }
  }

  private static long estimatedEventBytes(EventLog log) {
    try {
      return invokeLong(log, "bytes");
    } catch (IllegalStateException e) {
      return -1; // a log that does not estimate its bytes
    }
  }

  private static Map<Action, Integer> flood(Gatehouse g, int addresses) {
    Map<Action, Integer> outcomes = new EnumMap<>(Action.class);
    for (int i = 0; i < addresses; i++) {
      RequestFacts facts = request(i);
      Decision d = g.decide(facts);
      outcomes.merge(d.action(), 1, Integer::sum);
      if (d.action() == Action.CHALLENGE) {
        g.issueChallenge(d, facts);
        g.verifyChallenge(facts, "forged-" + i + "-" + "t".repeat(200), "0", 1);
      } else if (d.action() == Action.ALLOW) {
        g.observeResponse(d, facts, 404);
      }
    }
    return outcomes;
  }

  /**
   * Redeemed tokens and revoked clearances, as solved challenges and misbehaving solvers would leave them,
   * through the challenge state's own methods (the type is the engine's own, so they are called by name).
   */
  private static void fillProofOfWorkState(Object challenges, int entries) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Method redeem = method(challenges, "redeem", String.class);
    Method revoke = method(challenges, "revoke", long.class, Duration.class);
    try {
      for (int i = 0; i < entries; i++) {
        redeem.invoke(challenges, String.format(Locale.ROOT, "%016x%08x", random.nextLong(), random.nextInt()));
        revoke.invoke(challenges, random.nextLong() | 1, Duration.ofMinutes(30));
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot fill the challenge state", e);
    }
  }

  /** Waits for crawler verifications still running, and runs every cache's pending maintenance. */
  private static void settle(Gatehouse g) throws InterruptedException {
    Object dns = field(g, "engine", "policy", "bots", "verifier", "dns");
    for (int waited = 0; waited < 200 && !((Map<?, ?>) field(dns, "inFlight")).isEmpty(); waited++) {
      Thread.sleep(50);
    }
    ((Cache<?, ?>) field(dns, "cache")).cleanUp();
    cache(g, "engine", "policy", "bots", "check", "profiles").cleanUp();
    cache(g, "engine", "policy", "bots", "verifier", "claims", "byAgent").cleanUp();
    invokeLong(field(g, "behaviour"), "cleanUp");
    caches(field(g, "state", "challenges")).forEach(Cache::cleanUp);
  }

  /** The caches among the fields of {@code holder}. */
  private static List<Cache<?, ?>> caches(Object holder) {
    List<Cache<?, ?>> out = new ArrayList<>();
    for (Field f : holder.getClass().getDeclaredFields()) {
      if (Cache.class.isAssignableFrom(f.getType())) {
        out.add((Cache<?, ?>) field(holder, f.getName()));
      }
    }
    return out;
  }

  private static Object[] roots(Gatehouse g) {
    return new Object[] {
        g.events(),
        field(g, "behaviour"),
        field(g, "shared"),
        field(g, "state", "challenges"),
        field(g, "engine", "policy", "bots", "check", "profiles"),
        field(g, "engine", "policy", "bots", "verifier", "claims", "byAgent"),
        new Object[] {field(g, "engine", "policy", "bots", "verifier", "dns", "cache"),
            field(g, "engine", "policy", "bots", "verifier", "dns", "inFlight")}};
  }

  private static long[] sizes(Object[] roots) {
    long[] out = new long[roots.length];
    for (int i = 0; i < roots.length; i++) {
      out[i] = GraphLayout.parseInstance(roots[i]).totalSize();
    }
    return out;
  }

  /** Request {@code i} of the flood: maximal in every field, from an address of its own. */
  static RequestFacts request(int i) {
    boolean utf16 = (i & 1) == 1;
    String wide = utf16 ? "\u0416" : "";
    String tag = i + wide + "-";
    String peer = (i & 2) == 0 ? IpAddress.ofV4(0x0B000000 + i).toString()
        : IpAddress.ofV6(0x2a00_0000_0000_0000L | ((long) i << 16), 1).toString();
    String path = switch (i % 8) {
      case 0, 1 -> "/admin/";
      case 2, 3, 4 -> "/shop/";
      case 5 -> "/guarded/";
      default -> "/open/";
    };
    String agent;
    if (i % 3 == 0) {
      // Only requests the integrity check looks at (paths 2, 3 and 4 of 8) ask for crawler verification.
      String claim = i % 24 == 3 || i % 24 == 12
          ? "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) "
          : "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 ";
      agent = fill(claim + tag, CACHED_AGENT);
    } else {
      agent = fill("Mozilla/5.0 " + tag, BIG);
    }
    RequestFacts.Builder b = RequestFacts.builder()
        .peer(peer)
        .method(i % 16 == 9 ? fill("PROPFIND" + (utf16 ? "" : "X"), BIG) : "GET")
        .scheme("https")
        .host(fill("h" + tag, 2 * 1024) + ".example")
        .path(fill(path + tag, BIG))
        .query(fill("q=" + tag, BIG))
        .expectHeaders(44)
        .header("User-Agent", agent)
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header("Accept-Language", fill("en-GB,en;q=0.9," + tag, 256))
        .header("Cookie", Challenge.CLEARANCE_COOKIE + "=" + fill("forged" + tag, 4 * 1024));
    for (int h = 0; h < 40; h++) {
      b.header("X-Padding-" + h, fill(tag, 200));
    }
    return b.build();
  }

  /** {@code start}, then letters up to {@code length} characters: a new string every time. */
  private static String fill(String start, int length) {
    StringBuilder s = new StringBuilder(length).append(start);
    while (s.length() < length) {
      s.append((char) ('a' + s.length() % 26));
    }
    s.setLength(length);
    return s.toString();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static Cache<?, ?> cache(Object root, String... path) {
    return (Cache<?, ?>) field(root, path);
  }

  /**
   * The object at the end of a path of field names from {@code root}: the engine does not hand out its
   * state, and this program must measure it where it is.
   */
  static Object field(Object root, String... path) {
    Object o = root;
    for (String name : path) {
      Field f = find(o.getClass(), name);
      if (f == null) {
        throw new IllegalStateException(o.getClass().getName() + " has no field '" + name + "' (path "
            + String.join(".", path) + "); update FloodFootprint to where the state lives now");
      }
      try {
        f.setAccessible(true);
        o = f.get(o);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalStateException("cannot read " + o.getClass().getName() + "." + name, e);
      }
    }
    return o;
  }

  private static Field find(Class<?> c, String name) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          return f;
        }
      }
    }
    return null;
  }

  private static Method method(Object target, String name, Class<?>... parameters) {
    try {
      Method m = target.getClass().getDeclaredMethod(name, parameters);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(target.getClass().getName() + " has no method " + name + " taking "
          + Arrays.toString(parameters) + "; update FloodFootprint", e);
    }
  }

  private static long invokeLong(Object target, String name) {
    try {
      Object r = method(target, name).invoke(target);
      return r instanceof Number n ? n.longValue() : 0;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot call " + target.getClass().getName() + "." + name + "()", e);
    }
  }
}
