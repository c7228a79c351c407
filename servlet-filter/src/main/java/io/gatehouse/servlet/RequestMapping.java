package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * Copies what a servlet request shows into {@link RequestFacts}, the headers by the way
 * {@link ContainerHeaders} chose for this container.
 */
final class RequestMapping {

  private static final ContainerHeaders HEADERS = ContainerHeaders.forThisContainer();

  private RequestMapping() {}

  /** The attribute under which containers put the client's TLS certificate chain. */
  static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

  /**
   * Which of the costly connection fields a set of fields read names, worked out once per set (a policy's)
   * rather than by hash lookups in every request, where the set's table and strings are rarely in cache.
   */
  private record Reads(Set<String> fields, boolean serverAddress, boolean serverPort, boolean certificate) {
    static Reads of(Set<String> fields) {
      return new Reads(fields, fields.contains("cf.edge.server_ip"), fields.contains("cf.edge.server_port"),
          fields.contains("cf.tls_client_auth.cert_presented") || fields.contains("cf.tls_client_auth.cert_verified"));
    }
  }

  // The last set asked about; a reload brings a new set, seen by identity. A race recomputes, harmlessly.
  private static volatile Reads last = Reads.of(Set.of());

  private static Reads reads(Set<String> fields) {
    Reads r = last;
    if (r.fields != fields) {
      r = Reads.of(fields);
      last = r;
    }
    return r;
  }

  static RequestFacts facts(HttpServletRequest request) {
    return facts(request, null, Set.of());
  }

  /**
   * The facts, with the body's first bytes when the rules read them ({@code body} may be {@code null}),
   * and the server's address and the client's certificate only when {@code fieldsRead} names a field of
   * theirs: the container formats an address anew on each call, which no request should pay for unread.
   */
  static RequestFacts facts(HttpServletRequest request, BodyPrefix body, Set<String> fieldsRead) {
    RequestFacts.Builder b = RequestFacts.builder()
        .peer(request.getRemoteAddr())
        .method(request.getMethod())
        .scheme(request.getScheme())
        .host(request.getServerName())
        .path(request.getRequestURI())
        .query(request.getQueryString())
        .protocol(request.getProtocol())
        .contextPath(request.getContextPath());
    Reads reads = reads(fieldsRead);
    if (reads.serverAddress || reads.serverPort) {
      b.server(reads.serverAddress ? request.getLocalAddr() : null, request.getLocalPort());
    }
    if (reads.certificate) {
      b.clientCertificate(certificate(request));
    }
    if (body != null) {
      b.body(body.bytes(), body.size(), body.truncated());
    }
    HEADERS.copy(request, b);
    return b.build();
  }

  /**
   * Whether the client showed a certificate, and whether it is verified: a container puts a certificate
   * here only once the TLS handshake accepted it, so one within its validity dates counts as verified.
   */
  static RequestFacts.ClientCertificate certificate(HttpServletRequest request) {
    if (!request.isSecure()) {
      return RequestFacts.ClientCertificate.NONE;
    }
    Object chain = request.getAttribute(CERTIFICATES);
    if (!(chain instanceof X509Certificate[] certs) || certs.length == 0) {
      return RequestFacts.ClientCertificate.NONE;
    }
    try {
      certs[0].checkValidity();
      return RequestFacts.ClientCertificate.VERIFIED;
    } catch (CertificateException e) {
      return RequestFacts.ClientCertificate.PRESENTED;
    }
  }
}
