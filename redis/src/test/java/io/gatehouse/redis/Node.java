package io.gatehouse.redis;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.servlet.GatehouseFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One instance of an application behind Gatehouse, on embedded Jetty on a free port, in a cluster on the
 * Redis given: its own directory, properties and managed rules file, as a real deployment has.
 */
final class Node implements AutoCloseable {

  static final String TOKEN = "cluster-admin-token-1234567890";
  static final String SECRET = "a-cluster-secret-that-is-long-enough-1234";

  final String name;
  final Path home;
  final Gatehouse gatehouse;
  private final Server server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Node(String name, Path home, Gatehouse gatehouse, Server server) {
    this.name = name;
    this.home = home;
    this.gatehouse = gatehouse;
    this.server = server;
  }

  static Node start(String name, Path dir, String redisUri, String extra) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    Path config = home.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.node-id=%s
        gatehouse.cluster.redis=${REDIS_URI}
        gatehouse.cluster.name=test
        gatehouse.challenge.secret=%s
        gatehouse.challenge.difficulty=4
        gatehouse.admin.token=%s
        gatehouse.access-rules.file=rules.json
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.access-rule.watch=challenge ip 203.0.113.0/24
        gatehouse.rule.scanners.expression=http.user_agent contains "sqlmap"
        gatehouse.rule.scanners.action=block
        """.formatted(name, SECRET, TOKEN) + extra);
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).environment(Map.of("REDIS_URI", redisUri))
        .watchFiles(false).build();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(new GatehouseFilter(g)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write("app saw " + req.getRequestURI());
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    return new Node(name, home, g, server);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path);
  }

  /** A browser-like GET from {@code ip} (through the trusted proxy header). */
  HttpResponse<String> get(String path, String ip, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .header("X-Forwarded-For", ip).header("Accept", "text/html");
    boolean agent = false;
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      agent |= headers[i].equalsIgnoreCase("User-Agent");
    }
    if (!agent) {
      b.header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36");
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> admin(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/__gatehouse" + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + TOKEN).header("Accept", "application/json")
        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    server.stop();
    gatehouse.close();
  }
}
