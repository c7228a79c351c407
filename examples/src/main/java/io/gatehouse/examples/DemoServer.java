package io.gatehouse.examples;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.servlet.GatehouseFilter;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The demo: a small site on embedded Jetty with Gatehouse in front of it.
 *
 * <pre>
 * java -jar examples/target/gatehouse-demo.jar [--host 127.0.0.1] [--port 8080] [--config gatehouse.properties]
 * </pre>
 *
 * It listens on 127.0.0.1 unless {@code --host} says otherwise: the sample configuration has a well-known
 * admin token and trusts the local machine as a proxy, which is fine for a demo on one's own machine only.
 *
 * Without {@code --config} it uses a sample configuration that trusts 127.0.0.1 as a proxy, so that
 * {@code curl -H 'X-Forwarded-For: 203.0.113.9' ...} can play any visitor.
 */
public final class DemoServer implements AutoCloseable {

  static final String SAMPLE_CONFIG = "demo/gatehouse-demo.properties";
  static final String SAMPLE_FEED = "demo/demo-blocklist.netset";
  static final String SAMPLE_BLOCKING_FEED = "demo/demo-hijacked.netset";

  private final Server server;
  private final Gatehouse gatehouse;

  private DemoServer(Server server, Gatehouse gatehouse) {
    this.server = server;
    this.gatehouse = gatehouse;
  }

  /**
   * Starts the demo on {@code port} (0 for any free port) with {@code config}, or, when null, with the
   * sample configuration copied to a new directory (so that its feed is a real file and rules added from
   * the dashboard have somewhere to go).
   */
  public static DemoServer start(int port, Path config) throws Exception {
    return start("127.0.0.1", port, config);
  }

  /** Starts the demo on {@code host} (an address or name; {@code 0.0.0.0} for every interface). */
  public static DemoServer start(String host, int port, Path config) throws Exception {
    ConfigSource source = ConfigSource.file(config != null ? config : unpackSample());
    Gatehouse gatehouse = Gatehouse.builder().config(source).build();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(new GatehouseFilter(gatehouse)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new SampleSiteServlet()), "/");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      gatehouse.close();
      server.stop();
      throw e;
    }
    return new DemoServer(server, gatehouse);
  }

  /** Copies the sample configuration and its feeds into a new directory; returns the configuration. */
  static Path unpackSample() throws IOException {
    Path dir = Files.createTempDirectory("gatehouse-demo");
    for (String resource : new String[] {SAMPLE_CONFIG, SAMPLE_FEED, SAMPLE_BLOCKING_FEED}) {
      try (InputStream in = DemoServer.class.getClassLoader().getResourceAsStream(resource)) {
        Files.copy(in, dir.resolve(resource.substring(resource.lastIndexOf('/') + 1)));
      }
    }
    return dir.resolve("gatehouse-demo.properties");
  }

  /** The address the demo listens on. */
  public String host() {
    return ((ServerConnector) server.getConnectors()[0]).getHost();
  }

  /** The port the demo listens on. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public Gatehouse gatehouse() {
    return gatehouse;
  }

  @Override
  public void close() throws Exception {
    server.stop();
    gatehouse.close();
  }

  public static void main(String[] args) throws Exception {
    int port = 8080;
    String host = "127.0.0.1";
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--port") || a.equals("--config") || a.equals("--host")) && i + 1 >= args.length) {
        usage(a + " needs a value");
      }
      switch (a) {
        case "--port" -> {
          try {
            port = Integer.parseInt(args[++i]);
          } catch (NumberFormatException e) {
            usage("--port needs a number, not '" + args[i] + "'");
          }
          if (port < 0 || port > 65535) {
            usage("--port must be 0..65535");
          }
        }
        case "--host" -> host = args[++i];
        case "--config" -> {
          config = Path.of(args[++i]);
          if (!Files.isRegularFile(config)) {
            usage("--config: no such file: " + config);
          }
        }
        case "--help", "-h" -> {
          System.out.println(USAGE);
          return;
        }
        default -> usage("unknown argument '" + a + "'");
      }
    }
    DemoServer demo;
    try {
      demo = start(host, port, config);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    } catch (IOException e) {
      if (isBindFailure(e)) {
        System.err.println(bindFailure(host, port));
        System.exit(1);
        return;
      }
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        demo.close();
      } catch (Exception ignored) {
        // shutting down anyway
      }
    }));
    System.out.println(tryThis(host, demo.port(), config == null));
    if (config == null) {
      System.out.println("  Configuration: " + demo.gatehouse.status().configuration());
    }
    demo.server.join();
  }

  private static final String USAGE = "usage: java -jar gatehouse-demo.jar [--host ADDRESS] [--port N] [--config PATH]";

  /** Whether starting failed because the address and port are taken (or not this machine's). */
  static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  /** One line for a port in use, instead of a stack trace. */
  static String bindFailure(String host, int port) {
    return "Cannot listen on " + host + ":" + port + ": the port is in use (another demo still running?) or the"
        + " address is not this machine's. Stop that program, or choose another port with --port N.";
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(USAGE);
    System.exit(2);
  }

  static String tryThis(int port, boolean sample) {
    return tryThis("127.0.0.1", port, sample);
  }

  static String tryThis(String host, int port, boolean sample) {
    boolean everywhere = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    String shown = everywhere || host.equals("localhost") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
    String base = "http://" + shown + ":" + port;
    StringBuilder sb = new StringBuilder();
    sb.append("\nGatehouse demo listening on ")
        .append(everywhere ? "every interface (" + host + "), port " + port + ": " + base : base).append('\n');
    if (sample && !host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
      sb.append("Warning: reachable from other machines with the sample's well-known admin token; set"
          + " GATEHOUSE_ADMIN_TOKEN, or leave out --host to listen on 127.0.0.1 only.\n");
    }
    if (!sample) {
      return sb.append("Using your configuration; open ").append(base).append("/ in a browser.\n").toString();
    }
    sb.append("""

        The sample configuration trusts 127.0.0.1 as a proxy, so X-Forwarded-For plays any visitor.
        Things to try:

          curl -i %1$s/                                             # allowed: the sample site
          curl -i -H 'X-Forwarded-For: 203.0.113.9' %1$s/          # blocked: Error 1012 page (IP access rule)
          curl -i -H 'X-Forwarded-For: 203.0.113.7' %1$s/          # allowed: a more specific allow rule wins
          curl -i -H 'X-Forwarded-For: 203.0.113.9' -H 'Accept: application/json' %1$s/   # the JSON form
          curl -i -H 'X-Forwarded-For: 203.0.113.9' -H 'Accept: text/plain' %1$s/         # the text form
          curl -I -H 'X-Forwarded-For: 203.0.113.9' %1$s/          # HEAD: headers only
          curl -i -H 'X-Forwarded-For: 198.51.100.20' %1$s/        # logged, allowed (see gatehouse.events)
          curl -i -H 'X-Forwarded-For: 192.0.2.1, 203.0.113.9' %1$s/   # the right-most untrusted hop is judged
          curl -i -H 'X-Forwarded-For: 192.0.2.70' %1$s/           # challenged: in the demo reputation feed (score 60)
          curl -i -H 'X-Forwarded-For: 192.0.2.200' %1$s/          # blocked: in the demo feed of hijacked networks
          curl -i -H 'X-Forwarded-For: 100.64.99.5' %1$s/          # challenged, not blocked: a shared (CGNAT) address

        Every refusal prints a line on the gatehouse.events logger with its Ray ID.
        Open %1$s/__gatehouse/ for the dashboard (token: demo-admin-token-change-me, or your
        GATEHOUSE_ADMIN_TOKEN): look up a Ray ID, see why, and allow the address with one click.
          curl -s -H 'Authorization: Bearer demo-admin-token-change-me' '%1$s/__gatehouse/events?limit=5'
          curl -s -H 'Authorization: Bearer demo-admin-token-change-me' '%1$s/__gatehouse/explain?ip=192.0.2.70'
        """.formatted(base));
    return sb.toString();
  }
}
