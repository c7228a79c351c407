package io.gatehouse.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real container on 127.0.0.1 and a free port with one application at a context path: a filter mapped
 * to {@code /*} in front of a servlet mapped to {@code /}. Jetty 12 (ee10) and Tomcat, for what depends
 * on how containers differ.
 */
interface WebContainer extends AutoCloseable {

  /** The address of {@code pathAndQuery} on this server (the context path not added). */
  URI uri(String pathAndQuery);

  String name();

  @Override
  void close() throws Exception;

  static WebContainer start(String kind, String contextPath, Filter filter, HttpServlet app) throws Exception {
    return switch (kind) {
      case "jetty" -> jetty(contextPath, filter, app);
      case "tomcat" -> tomcat(contextPath, filter, app);
      default -> throw new IllegalArgumentException("no container '" + kind + "'");
    };
  }

  static WebContainer jetty(String contextPath, Filter filter, HttpServlet app) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(contextPath.isEmpty() ? "/" : contextPath);
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(app), "/");
    server.setHandler(context);
    server.start();
    return new WebContainer() {
      @Override
      public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
      }

      @Override
      public String name() {
        return "Jetty " + Server.getVersion();
      }

      @Override
      public void close() throws Exception {
        server.stop();
      }
    };
  }

  static WebContainer tomcat(String contextPath, Filter filter, HttpServlet app) throws Exception {
    Path base = Files.createTempDirectory("gatehouse-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext(contextPath, base.toString());
    FilterDef def = new FilterDef();
    def.setFilterName("gatehouse");
    def.setFilter(filter);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("gatehouse");
    map.addURLPattern("/*");
    context.addFilterMap(map);
    Tomcat.addServlet(context, "app", app);
    context.addServletMappingDecoded("/", "app");
    tomcat.start();
    return new WebContainer() {
      @Override
      public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
      }

      @Override
      public String name() {
        return "Tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber();
      }

      @Override
      public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        try (var files = Files.walk(base)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    };
  }
}
