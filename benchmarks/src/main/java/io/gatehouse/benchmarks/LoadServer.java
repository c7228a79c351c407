package io.gatehouse.benchmarks;

import io.gatehouse.servlet.GatehouseFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One side of the load comparison run by {@code benchmarks/load.sh}: a tiny servlet that answers every
 * request with the same few hundred bytes of HTML, on embedded Jetty at 127.0.0.1 and a free port,
 * with {@link GatehouseFilter} in front of it or without. The filter is declared as {@code web.xml}
 * would declare it, its {@code config} init-param naming a {@link FullPolicy} written to a temporary
 * directory, so that the filtered side pays exactly what a deployment pays per request.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.LoadServer --policy full|small|empty|pass|none \
 *     [--rules 1000] [--cluster redis://127.0.0.1:6379/0]
 * </pre>
 *
 * With {@code --rules N} the full or small policy has {@code N} custom rules (1 to 100,000;
 * {@link FullPolicy#expression}) instead of its hundred.
 *
 * With {@code --cluster} the filtered server shares its state through that Redis, as one instance of a
 * cluster ({@code LOAD_POLICY=cluster} in {@code load.sh} compares it with the same server alone). Last
 * figures, 2026-12-01, 6 rounds of 10 s, 1 GiB heaps, Redis 7.0 on loopback, other builds running (load
 * average 12 to 16): full policy alone 22,730 requests/s and 34.7 us of CPU a request, in a cluster 24,452
 * and 32.3 us, a ratio of 107.6% (target: at least 99%), that is no cost above the noise.
 *
 * It prints {@code listening on http://127.0.0.1:PORT/} once it serves, and runs until it is stopped.
 *
 * <p>Last figures, 2026-11-25, {@code benchmarks/load.sh} (wrk 4.1.0 {@code -t1 -c16}, rounds of 10 s
 * per side after 15 s of warm-up, 2 GiB heaps) on the 2-core AMD EPYC VM of
 * {@link IntervalIndexFootprint}, OpenJDK 17.0.15, Jetty 12.1.14, nothing else running; medians of the
 * rounds, each policy against its own run without a filter:
 * <pre>
 *                                 requests/s   p50 ms   p99 ms   server CPU us/request   with/without
 * without filter                      42,390    0.294    0.671    29.4
 * with filter, full (8 rounds)        39,198    0.321    0.757    32.9                    92.5%
 * with filter, empty (5 rounds)       40,739    0.306    0.716    30.9 (29.1 without)     95.2%
 * a filter that only passes (5)       39,952    0.312    0.766    31.6 (29.5 without)     94.5%
 * </pre>
 * The target of 95% is missed on the full policy. Of the 3.6 us of CPU the full filter adds a request,
 * about 2 us is what Jetty charges for any filter in the chain (a filter that does nothing costs as
 * much as Gatehouse with nothing to check), and about 1.5 us is {@code decide()}, which
 * {@link DecideBenchmark} puts at 1.47 us for this request, 1.3 us of it in the 100 custom rules.
 * Against the do-nothing filter, the full policy keeps 98% of the throughput. Runs of the same side
 * differ by up to 5% from minute to minute on this VM (one earlier run of the pass-through filter gave
 * 102%), which is why the rounds alternate and the CPU time per request is printed too. In a flight
 * recording of the empty policy, Gatehouse's own samples are the copy of the request (one pass over
 * Jetty's fields), parsing the peer and forwarded addresses, and the empty phases.
 */
public final class LoadServer implements AutoCloseable {

  /** What stands in front of the servlet. */
  public enum Policy {
    /** No filter: the baseline. */
    NONE,
    /**
     * A filter that only passes the request on: what the container charges for having a filter at all,
     * which no filter can avoid.
     */
    PASS,
    /**
     * The filter with nothing to check but the forwarding header: the fixed cost of the filter itself
     * (copying the request, resolving the client, running the empty phases).
     */
    EMPTY,
    /** The filter on {@link FullPolicy#SMALL}, to check that the harness runs. */
    SMALL,
    /** The filter on {@link FullPolicy#FULL}, for the figures. */
    FULL;

    static Policy parse(String s) {
      for (Policy p : values()) {
        if (p.name().equalsIgnoreCase(s)) {
          return p;
        }
      }
      throw new IllegalArgumentException("'" + s + "' is not a policy; expected none, pass, empty, small or full");
    }
  }

  /** A small product page: the answer of an application that does almost nothing, so the filter shows. */
  static final byte[] PAGE = """
      <!doctype html>
      <html lang="en">
      <head><meta charset="utf-8"><title>Product 123 - Example Shop</title>
      <link rel="stylesheet" href="/static/site.css"></head>
      <body>
      <header><a href="/">Example Shop</a> <nav><a href="/products/">Products</a> <a href="/cart">Cart</a></nav></header>
      <main><h1>Blue enamel mug</h1><p>Holds 350 ml. Dishwasher safe.</p>
      <form method="post" action="/cart"><input type="hidden" name="sku" value="123"><button>Add to cart</button></form></main>
      </body>
      </html>
      """.getBytes(StandardCharsets.UTF_8);

  private final Server server;
  private final Path dir;

  private LoadServer(Server server, Path dir) {
    this.server = server;
    this.dir = dir;
  }

  /** The custom rules of the full and small policies unless {@code --rules} says otherwise. */
  static final int DEFAULT_RULES = FullPolicy.FULL.customRules();

  /** Starts the servlet behind {@code policy} on 127.0.0.1 and a free port. */
  public static LoadServer start(Policy policy) throws Exception {
    return start(policy, null, DEFAULT_RULES);
  }

  /**
   * Starts the servlet behind {@code policy}, in the cluster of the Redis at {@code cluster}
   * ({@code gatehouse.cluster.redis}) unless it is {@code null}; the full and small policies have
   * {@code rules} custom rules.
   */
  public static LoadServer start(Policy policy, String cluster, int rules) throws Exception {
    Path dir = null;
    Server server = new Server();
    try {
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      if (policy == Policy.PASS) {
        context.addFilter(new FilterHolder((Filter) (request, response, chain) -> chain.doFilter(request, response)),
            "/*", EnumSet.of(DispatcherType.REQUEST));
      } else if (policy != Policy.NONE) {
        dir = Files.createTempDirectory("gatehouse-load");
        Path config;
        if (policy == Policy.EMPTY) {
          config = dir.resolve("gatehouse.properties");
          Files.writeString(config, """
              gatehouse.reload.interval=off
              gatehouse.client-ip.header=X-Forwarded-For
              gatehouse.client-ip.trusted-proxies=127.0.0.1, 10.255.0.0/16
              """);
        } else {
          config = FullPolicy.write(dir, (policy == Policy.FULL ? FullPolicy.FULL : FullPolicy.SMALL).withRules(rules));
        }
        if (cluster != null) {
          Files.writeString(config, "\ngatehouse.cluster.redis=" + cluster + "\ngatehouse.cluster.name=load-"
              + ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
        FilterHolder filter = new FilterHolder(GatehouseFilter.class);
        filter.setInitParameter(GatehouseFilter.CONFIG_PARAM, config.toString());
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
      }
      context.addServlet(new ServletHolder(new PageServlet()), "/");
      server.setHandler(context);
      server.start();
      return new LoadServer(server, dir);
    } catch (Exception e) {
      server.stop();
      deleteTree(dir);
      throw e;
    }
  }

  /** The port the server listens on. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() throws IOException {
    try {
      server.stop();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("Jetty did not stop cleanly", e);
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Answers every request with {@link #PAGE}. */
  static final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setStatus(HttpServletResponse.SC_OK);
      resp.setContentType("text/html;charset=utf-8");
      resp.setContentLength(PAGE.length);
      resp.getOutputStream().write(PAGE);
    }
  }

  /** The command line: the policy, the Redis of the cluster or {@code null}, and the custom rule count. */
  record Options(Policy policy, String cluster, int rules) {

    /** Reads the command line; a mistake throws {@link IllegalArgumentException} naming it. */
    static Options parse(String... args) {
      Policy policy = null;
      String cluster = null;
      Integer rules = null;
      for (int i = 0; i < args.length; i++) {
        String option = args[i];
        if (!option.equals("--policy") && !option.equals("--rules") && !option.equals("--cluster")) {
          throw new IllegalArgumentException("unknown argument '" + option + "'");
        }
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(option + " needs a value");
        }
        String value = args[++i];
        switch (option) {
          case "--policy" -> policy = Policy.parse(value);
          case "--rules" -> rules = parseRules(value);
          default -> cluster = value;
        }
      }
      if (policy == null) {
        throw new IllegalArgumentException("--policy is required");
      }
      if (cluster != null && (policy == Policy.NONE || policy == Policy.PASS)) {
        throw new IllegalArgumentException("--cluster needs the filter: --policy empty, small or full");
      }
      if (rules != null && policy != Policy.SMALL && policy != Policy.FULL) {
        throw new IllegalArgumentException("--rules needs a policy with custom rules: --policy small or full");
      }
      return new Options(policy, cluster, rules == null ? DEFAULT_RULES : rules);
    }

    private static int parseRules(String s) {
      // Digits only: Integer.parseInt would also take "+100" and "-0".
      if (s.matches("[0-9]{1,6}")) {
        int n = Integer.parseInt(s);
        if (n >= 1 && n <= FullPolicy.MAX_CUSTOM_RULES) {
          return n;
        }
      }
      throw new IllegalArgumentException("--rules '" + s + "': expected a whole number from 1 to "
          + FullPolicy.MAX_CUSTOM_RULES);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = null;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
    }
    Policy policy = options.policy();
    String cluster = options.cluster();
    LoadServer server = start(policy, cluster, options.rules());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (IOException ignored) {
        // the process is ending anyway
      } finally {
        stopped.countDown();
      }
    }));
    System.out.printf(Locale.ROOT, "listening on http://127.0.0.1:%d/ (policy: %s%s%s)%n", server.port(),
        policy.name().toLowerCase(Locale.ROOT),
        policy == Policy.SMALL || policy == Policy.FULL ? ", " + options.rules() + " custom rules" : "",
        cluster == null ? "" : ", cluster " + cluster);
    System.out.flush();
    stopped.await();
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: java -cp benchmarks.jar io.gatehouse.benchmarks.LoadServer --policy none|pass|empty|small|full"
        + " [--rules 1-100000] [--cluster redis://host:port/0]");
    System.exit(2);
  }
}
