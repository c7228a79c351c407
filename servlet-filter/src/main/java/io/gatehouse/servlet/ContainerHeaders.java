package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * How the header lines of a request get into {@link RequestFacts}: the servlet API's way, which works in
 * every container, or a container's own faster one. {@link #forThisContainer} chooses once, when
 * {@link RequestMapping} loads.
 *
 * <p>A container's way is a class compiled against that container and named only in
 * {@link #forThisContainer}, behind a check that the container's classes are visible: the JVM loads a
 * class when code that names it first runs, so where the container is absent the class is never loaded
 * and its missing imports never matter. A way added for another container goes beside Jetty's there.
 */
interface ContainerHeaders {

  /** Every value of every name, names in the container's order; works with any request, wrapped or not. */
  ContainerHeaders SERVLET_API = (request, b) -> {
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = request.getHeaders(name);
      while (values != null && values.hasMoreElements()) {
        b.header(name, values.nextElement());
      }
    }
  };

  /** Copies every header line of {@code request} into {@code b}. */
  void copy(HttpServletRequest request, RequestFacts.Builder b);

  /** Jetty's way where Jetty's request classes are visible to this class, else the servlet API's. */
  static ContainerHeaders forThisContainer() {
    ClassLoader loader = ContainerHeaders.class.getClassLoader();
    if (visible(loader, "org.eclipse.jetty.ee10.servlet.ServletApiRequest", "org.eclipse.jetty.http.HttpField")) {
      try {
        return new JettyHeaders();
      } catch (LinkageError e) {
        // A Jetty whose classes are there but do not fit the ones compiled against.
      }
    }
    return SERVLET_API;
  }

  private static boolean visible(ClassLoader loader, String... classNames) {
    try {
      for (String name : classNames) {
        Class.forName(name, false, loader);
      }
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
