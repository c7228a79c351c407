package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/** Copies what a servlet request shows into {@link RequestFacts}. */
final class RequestMapping {

  private RequestMapping() {}

  static RequestFacts facts(HttpServletRequest request) {
    RequestFacts.Builder b = RequestFacts.builder()
        .peer(request.getRemoteAddr())
        .method(request.getMethod())
        .scheme(request.getScheme())
        .host(request.getServerName())
        .path(request.getRequestURI())
        .query(request.getQueryString());
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = request.getHeaders(name);
      while (values != null && values.hasMoreElements()) {
        b.header(name, values.nextElement());
      }
    }
    return b.build();
  }
}
