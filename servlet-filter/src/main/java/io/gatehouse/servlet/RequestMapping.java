package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Copies what a servlet request shows into {@link RequestFacts}, the headers by the way
 * {@link ContainerHeaders} chose for this container.
 */
final class RequestMapping {

  private static final ContainerHeaders HEADERS = ContainerHeaders.forThisContainer();

  private RequestMapping() {}

  static RequestFacts facts(HttpServletRequest request) {
    RequestFacts.Builder b = RequestFacts.builder()
        .peer(request.getRemoteAddr())
        .method(request.getMethod())
        .scheme(request.getScheme())
        .host(request.getServerName())
        .path(request.getRequestURI())
        .query(request.getQueryString())
        .contextPath(request.getContextPath());
    HEADERS.copy(request, b);
    return b.build();
  }
}
