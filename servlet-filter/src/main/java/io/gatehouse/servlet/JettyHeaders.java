package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Copies the header lines of a request Jetty's ee10 container made, in one pass over its fields. The
 * servlet API offers only a name at a time, which costs a pass over every field per name. Loaded only
 * when Jetty's classes are visible to the filter; any other request goes the servlet API's way.
 */
final class JettyHeaders {

  private JettyHeaders() {}

  /** Copies the headers into {@code b} and returns true, or returns false when this is not Jetty's request. */
  static boolean copy(HttpServletRequest request, RequestFacts.Builder b) {
    if (!(request instanceof ServletApiRequest jetty)) {
      return false;
    }
    HttpFields fields = jetty.getRequest().getHeaders();
    b.expectHeaders(fields.size());
    for (HttpField field : fields) {
      b.header(field.getName(), field.getValue());
    }
    return true;
  }
}
