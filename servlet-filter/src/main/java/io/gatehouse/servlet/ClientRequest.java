package io.gatehouse.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request as the application sees it with {@code gatehouse.client-ip.expose=on}: the remote address
 * and host are the client Gatehouse resolved behind the trusted proxies, and the scheme is the one the
 * visitor used. One trust setting then serves both, instead of a second one in Tomcat's
 * {@code RemoteIpValve} or Spring's {@code ForwardedHeaderFilter} that can disagree with it. When the
 * client is unknown (a hop that is not an address), the connection's peer stays.
 *
 * <p>No DNS: {@link #getRemoteHost} is the address, as containers answer with lookups off.
 */
final class ClientRequest extends HttpServletRequestWrapper {

  private final String address;
  private final boolean secure;

  ClientRequest(HttpServletRequest request, String address, boolean secure) {
    super(request);
    this.address = address;
    this.secure = secure;
  }

  @Override
  public String getRemoteAddr() {
    return address;
  }

  @Override
  public String getRemoteHost() {
    return address;
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getScheme() {
    return secure ? "https" : "http";
  }
}
