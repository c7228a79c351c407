package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/** Copies what a servlet request shows into {@link RequestFacts}. */
final class RequestMapping {

  /** Whether Jetty's request class is visible here, so that {@link JettyHeaders} can be used. */
  private static volatile boolean jetty = jettyVisible();

  private RequestMapping() {}

  private static boolean jettyVisible() {
    try {
      Class.forName("org.eclipse.jetty.ee10.servlet.ServletApiRequest", false, RequestMapping.class.getClassLoader());
      Class.forName("org.eclipse.jetty.http.HttpField", false, RequestMapping.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static RequestFacts facts(HttpServletRequest request) {
    RequestFacts.Builder b = RequestFacts.builder()
        .peer(request.getRemoteAddr())
        .method(request.getMethod())
        .scheme(request.getScheme())
        .host(request.getServerName())
        .path(request.getRequestURI())
        .query(request.getQueryString());
    if (!jetty || !copyFromJetty(request, b)) {
      copyHeaders(request, b);
    }
    return b.build();
  }

  private static boolean copyFromJetty(HttpServletRequest request, RequestFacts.Builder b) {
    try {
      return JettyHeaders.copy(request, b);
    } catch (LinkageError e) {
      // A Jetty unlike the one compiled against: the servlet API's way from now on. Nothing was copied,
      // as the first call into Jetty is what fails.
      jetty = false;
      return false;
    }
  }

  /** The servlet API's way: every value of every name, names in the container's order. */
  static void copyHeaders(HttpServletRequest request, RequestFacts.Builder b) {
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = request.getHeaders(name);
      while (values != null && values.hasMoreElements()) {
        b.header(name, values.nextElement());
      }
    }
  }
}
