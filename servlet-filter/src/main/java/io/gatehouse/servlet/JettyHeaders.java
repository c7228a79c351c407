package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Copies the header lines of a request Jetty's ee10 container made in one pass over its fields, in the
 * order they arrived. The servlet API offers only a name at a time, which costs a pass over every field
 * per name. Any other request (one wrapped by another filter, say) goes the servlet API's way. Loaded only
 * through {@link ContainerHeaders#forThisContainer}, where Jetty's classes are visible.
 *
 * <p>Thread-safe.
 */
final class JettyHeaders implements ContainerHeaders {

  // Cleared for good by the first call that finds this Jetty unlike the one compiled against.
  private volatile boolean compatible = true;

  @Override
  public void copy(HttpServletRequest request, RequestFacts.Builder b) {
    if (!compatible || !copyFields(request, b)) {
      SERVLET_API.copy(request, b);
    }
  }

  private boolean copyFields(HttpServletRequest request, RequestFacts.Builder b) {
    try {
      if (!(request instanceof ServletApiRequest jetty)) {
        return false;
      }
      HttpFields fields = jetty.getRequest().getHeaders();
      b.expectHeaders(fields.size());
      for (HttpField field : fields) {
        b.header(field.getName(), field.getValue());
      }
      return true;
    } catch (LinkageError e) {
      // Thrown by the first call into Jetty, before any line was copied: the servlet API's way is whole.
      compatible = false;
      return false;
    }
  }
}
