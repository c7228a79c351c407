package io.gatehouse.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty on 127.0.0.1 and a free port, with a filter in front of a tiny application that answers
 * {@code app saw <path>} and counts the requests that reached it.
 */
final class JettyFixture implements AutoCloseable {

  static final String APP_BODY_PREFIX = "app saw ";

  final Server server;
  final AtomicInteger appHits = new AtomicInteger();
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private JettyFixture(FilterHolder filter) throws Exception {
    this(filter, 200);
  }

  private JettyFixture(FilterHolder filter, int status) throws Exception {
    this(filter, status, false);
  }

  private JettyFixture(FilterHolder filter, int status, boolean lenientUris) throws Exception {
    this(List.of(filter), status, lenientUris);
  }

  private JettyFixture(List<FilterHolder> filters, int status, boolean lenientUris) throws Exception {
    this(filters, lenientUris, null, status);
  }

  private JettyFixture(List<FilterHolder> filters, boolean lenientUris, HttpServlet app, int status)
      throws Exception {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    if (lenientUris) {
      // As permissive as some containers are, so that hostile paths reach the filter.
      http.setUriCompliance(UriCompliance.UNSAFE);
      http.setHttpCompliance(HttpCompliance.LEGACY);
    }
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    for (FilterHolder f : filters) {
      // Filters with the same mapping run in the order they were added.
      context.addFilter(f, "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(app != null ? app : new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        appHits.incrementAndGet();
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=utf-8");
        resp.getWriter().write(APP_BODY_PREFIX + req.getRequestURI());
      }
    }), "/");
    server.setHandler(context);
    server.start();
  }

  /** Jetty with this filter instance (programmatic registration). */
  static JettyFixture with(Filter filter) throws Exception {
    return new JettyFixture(new FilterHolder(filter));
  }

  /** Jetty with this filter in front of an application that answers every request with {@code status}. */
  static JettyFixture withStatus(Filter filter, int status) throws Exception {
    return new JettyFixture(new FilterHolder(filter), status);
  }

  /** Jetty with this filter in front of {@code app}. */
  static JettyFixture withApp(Filter filter, HttpServlet app) throws Exception {
    return new JettyFixture(List.of(new FilterHolder(filter)), false, app, 200);
  }

  /** Jetty with {@code gatehouse} behind {@code before} (which runs first, as a proxy would). */
  static JettyFixture withFilters(Filter gatehouse, Filter before) throws Exception {
    return new JettyFixture(List.of(new FilterHolder(before), new FilterHolder(gatehouse)), 200, false);
  }

  /** Jetty that lets ambiguous and hostile request paths through to the filter. */
  static JettyFixture lenient(Filter filter) throws Exception {
    return new JettyFixture(new FilterHolder(filter), 200, true);
  }

  /** Jetty with a filter built by the container from init-params, as web.xml would declare it. */
  static JettyFixture withInitParams(Map<String, String> params) throws Exception {
    FilterHolder holder = new FilterHolder(GatehouseFilter.class);
    holder.setInitParameters(params);
    return new JettyFixture(holder);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + pathAndQuery);
  }

  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
