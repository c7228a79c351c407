package io.gatehouse.core;

import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a request shows, and nothing derived from it: the connection's peer address, method, scheme,
 * host, path, query and headers. The servlet filter builds one per request; tests build them with
 * {@link #builder()}.
 *
 * <p>Header names are case-insensitive and a name may carry several values, kept in arrival order.
 * Values are kept exactly as received; nothing here trusts them.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RequestFacts {

  private static final String[] NO_HEADERS = new String[0];

  /**
   * The lower-case form of the header names requests carry most, by the spellings clients and servers
   * use, so that the common names are lowered without a new string. Any other name is lowered as it comes.
   */
  private static final Map<String, String> LOWER_NAMES = new HashMap<>();

  static {
    for (String n : new String[] {"host", "user-agent", "accept", "accept-language", "accept-encoding",
        "accept-charset", "connection", "keep-alive", "cookie", "referer", "origin", "cache-control", "pragma",
        "upgrade", "upgrade-insecure-requests", "range", "if-none-match", "if-modified-since", "if-match",
        "authorization", "content-type", "content-length", "transfer-encoding", "te", "dnt", "priority",
        "sec-fetch-site", "sec-fetch-mode", "sec-fetch-user", "sec-fetch-dest", "sec-ch-ua", "sec-ch-ua-mobile",
        "sec-ch-ua-platform", "sec-purpose", "purpose", "x-requested-with", "x-forwarded-for", "x-forwarded-proto",
        "x-forwarded-host", "x-forwarded-port", "x-real-ip", "forwarded", "via", "cf-connecting-ip",
        "true-client-ip", "x-csrf-token"}) {
      LOWER_NAMES.put(n, n);
      LOWER_NAMES.put(capitalised(n), n);
    }
    for (String[] odd : new String[][] {{"DNT", "dnt"}, {"TE", "te"}, {"X-Real-IP", "x-real-ip"},
        {"CF-Connecting-IP", "cf-connecting-ip"}, {"True-Client-IP", "true-client-ip"},
        {"X-CSRF-Token", "x-csrf-token"}}) {
      LOWER_NAMES.put(odd[0], odd[1]);
    }
  }

  private static String capitalised(String lower) {
    char[] c = lower.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (i == 0 || c[i - 1] == '-') {
        c[i] = Character.toUpperCase(c[i]);
      }
    }
    return new String(c);
  }

  /**
   * A header name in lower case, without a new string for the common names and spellings. Only ASCII
   * letters are lowered: header names are ASCII tokens, and their case-insensitivity is ASCII's.
   */
  static String lowerName(String name) {
    String known = LOWER_NAMES.get(name);
    if (known != null) {
      return known;
    }
    int i = 0;
    while (i < name.length() && !(name.charAt(i) >= 'A' && name.charAt(i) <= 'Z')) {
      i++;
    }
    if (i == name.length()) {
      return name;
    }
    char[] out = name.toCharArray();
    for (; i < out.length; i++) {
      char c = out[i];
      out[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
    return new String(out);
  }

  /** The bit a lower-case header name sets in {@link #nameBits}. */
  private static long nameBit(String lower) {
    int h = lower.hashCode();
    return 1L << ((h ^ (h >>> 16)) & 63);
  }

  private final String peerAddress;
  private final IpAddress peer;
  private final String method;
  private final String scheme;
  private final String host;
  private final String path;
  private final String query;
  private final String contextPath;
  private final String[] headers; // name, value, name, value, ...
  private final String[] lowerNames; // the names in lower case, for lookups by equals
  private final int[] nameHashes; // their hash codes, compared before the names themselves
  private final String userAgent;
  private final long nameBits; // a bit per name present, so that most absent names cost no scan
  private final String protocol;
  private final String serverAddress;
  private final int serverPort;
  private final ClientCertificate clientCertificate;
  private final byte[] body;
  private final long bodySize;
  private final boolean bodyTruncated;
  // Computed on first use; a race computes the same string twice, which is harmless.
  private String normalizedPath;

  private RequestFacts(Builder b) {
    this.peerAddress = b.peerAddress;
    this.peer = IpAddress.tryParseLoose(b.peerAddress);
    this.method = b.method;
    this.scheme = b.scheme;
    this.host = b.host;
    this.path = b.path;
    this.query = b.query;
    this.contextPath = b.contextPath;
    this.headers = b.takeHeaders();
    this.lowerNames = new String[b.headerCount];
    this.nameHashes = new int[b.headerCount];
    long bits = 0;
    for (int i = 0; i < lowerNames.length; i++) {
      lowerNames[i] = lowerName(headers[2 * i]);
      nameHashes[i] = lowerNames[i].hashCode();
      bits |= nameBit(lowerNames[i]);
    }
    this.nameBits = bits;
    int ua = find("user-agent", 0);
    this.userAgent = ua < 0 ? "" : headers[2 * ua + 1];
    this.protocol = b.protocol;
    this.serverAddress = b.serverAddress;
    this.serverPort = b.serverPort;
    this.clientCertificate = b.clientCertificate;
    this.body = b.body;
    this.bodySize = b.bodySize;
    this.bodyTruncated = b.bodyTruncated;
  }

  /** Whether and how the client showed a TLS certificate. */
  public enum ClientCertificate {
    /** None was shown (or the connection is not TLS). */
    NONE,
    /** One was shown, and the server did not verify it. */
    PRESENTED,
    /** One was shown and the server verified it. */
    VERIFIED
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The peer address as the connection reported it (possibly not an address at all). */
  public String peerAddress() {
    return peerAddress;
  }

  /** The connection's peer address, or {@code null} when what the connection reported does not parse. */
  public IpAddress peer() {
    return peer;
  }

  /** The request method, as sent ({@code GET}). */
  public String method() {
    return method;
  }

  /** {@code http} or {@code https}. */
  public String scheme() {
    return scheme;
  }

  /** The host the request was addressed to, without port. */
  public String host() {
    return host;
  }

  /** The path as sent, percent-encoded, without the query. */
  public String path() {
    return path;
  }

  /** The query as sent, without {@code ?}; empty when there is none. */
  public String query() {
    return query;
  }

  /**
   * The path normalised as Cloudflare normalises incoming URLs: backslashes become slashes,
   * percent-encoded unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) are decoded and other
   * percent-encodings written with capital hex digits, runs of slashes become one, and {@code .} and
   * {@code ..} segments are applied. {@code /a/./b//%7Euser/../%2fc} becomes {@code /a/b/%2Fc}.
   */
  public String normalizedPath() {
    String n = normalizedPath;
    if (n == null) {
      n = normalizePath(path);
      normalizedPath = n;
    }
    return n;
  }

  /** {@link #normalizedPath()} of any path; the same string when there is nothing to change. */
  public static String normalizePath(String raw) {
    if (raw == null || isNormal(raw)) {
      return raw;
    }
    StringBuilder decoded = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        c = '/';
      } else if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
        char v = (char) (hex(raw.charAt(i + 1)) << 4 | hex(raw.charAt(i + 2)));
        i += 2;
        if (v >= 'A' && v <= 'Z' || v >= 'a' && v <= 'z' || v >= '0' && v <= '9' || v == '-' || v == '.' || v == '_'
            || v == '~') {
          decoded.append(v);
        } else {
          decoded.append('%').append(Character.toUpperCase(raw.charAt(i - 1))).append(Character.toUpperCase(raw.charAt(i)));
        }
        continue;
      }
      if (c == '/' && decoded.length() > 0 && decoded.charAt(decoded.length() - 1) == '/') {
        continue;
      }
      decoded.append(c);
    }
    return removeDotSegments(decoded.toString());
  }

  private static boolean isNormal(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' || c == '\\' || c == '/' && i + 1 < path.length() && (path.charAt(i + 1) == '/' || path.charAt(i + 1) == '.')) {
        return false;
      }
    }
    return !path.equals(".") && !path.equals("..");
  }

  private static int hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /** RFC 3986 section 5.2.4 over a path whose slashes are single. */
  private static String removeDotSegments(String path) {
    boolean absolute = path.startsWith("/");
    String[] segments = (absolute ? path.substring(1) : path).split("/", -1);
    List<String> out = new ArrayList<>(segments.length);
    boolean trailingSlash = false;
    for (String segment : segments) {
      trailingSlash = false;
      if (segment.equals(".")) {
        trailingSlash = true;
      } else if (segment.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        trailingSlash = true;
      } else {
        out.add(segment);
      }
    }
    String joined = String.join("/", out);
    if (trailingSlash && !joined.isEmpty()) {
      joined += "/";
    }
    return absolute ? "/" + joined : joined;
  }

  /** The protocol of the request line, such as {@code HTTP/1.1}, or {@code null} when unknown. */
  public String protocol() {
    return protocol;
  }

  /** The address the request arrived at, as the server reports it, or {@code null}. */
  public String serverAddress() {
    return serverAddress;
  }

  /** The port the request arrived on, or -1 when unknown. */
  public int serverPort() {
    return serverPort;
  }

  /** Whether and how the client showed a TLS certificate. */
  public ClientCertificate clientCertificate() {
    return clientCertificate;
  }

  /**
   * A copy of the first bytes of the body buffered for the rules, or {@code null} when the body was not
   * buffered.
   */
  public byte[] body() {
    return body == null ? null : body.clone();
  }

  /** Whether the body was buffered for the rules. */
  public boolean hasBody() {
    return body != null;
  }

  /** The whole body's size in bytes: its Content-Length, or what was read of it; -1 when unknown. */
  public long bodySize() {
    return bodySize;
  }

  /** Whether {@link #body()} holds less than the whole body. */
  public boolean bodyTruncated() {
    return bodyTruncated;
  }

  /**
   * Where the application is deployed ({@code /shop} for a WAR at {@code /shop}), as the container reports
   * it; empty at the root. {@link #path()} includes it: rules see the path the visitor sent, while the
   * admin and challenge paths are relative to it.
   */
  public String contextPath() {
    return contextPath;
  }

  /** The path and, if present, {@code ?} and the query. */
  public String uri() {
    return query.isEmpty() ? path : path + '?' + query;
  }

  /** The first value of the named header, or {@code null}. */
  public String header(String name) {
    String lower = lowerName(name);
    int i = (nameBits & nameBit(lower)) == 0 ? -1 : find(lower, 0);
    return i < 0 ? null : headers[2 * i + 1];
  }

  /** The index of the first header line at or after {@code from} named {@code lower}, or -1. */
  private int find(String lower, int from) {
    String[] n = lowerNames;
    int[] hashes = nameHashes;
    int h = lower.hashCode();
    for (int i = from; i < n.length; i++) {
      if (hashes[i] == h && n[i].equals(lower)) {
        return i;
      }
    }
    return -1;
  }

  /** Every value of the named header, in arrival order. */
  public List<String> headers(String name) {
    return headersLowerCase(lowerName(name));
  }

  /**
   * Every value of the header whose name, in ASCII lower case, is {@code lower}, in arrival order.
   * For callers that hold lower-case names already.
   */
  public List<String> headersLowerCase(String lower) {
    if ((nameBits & nameBit(lower)) == 0) {
      return List.of();
    }
    List<String> values = null;
    for (int i = find(lower, 0); i >= 0; i = find(lower, i + 1)) {
      if (values == null) {
        values = new ArrayList<>(2);
      }
      values.add(headers[2 * i + 1]);
    }
    return values == null ? List.of() : Collections.unmodifiableList(values);
  }

  /** Whether the request carries the header whose name, in ASCII lower case, is {@code lower}. */
  public boolean hasHeaderLowerCase(String lower) {
    return (nameBits & nameBit(lower)) != 0 && find(lower, 0) >= 0;
  }

  /** Whether the request carries the named header at all. */
  public boolean hasHeader(String name) {
    return header(name) != null;
  }

  /** The number of header lines. */
  public int headerCount() {
    return headers.length / 2;
  }

  /** The name of the {@code i}-th header line, as sent. */
  public String headerName(int i) {
    return headers[2 * i];
  }

  /** The name of the {@code i}-th header line in lower case. */
  public String headerNameLowerCase(int i) {
    return lowerNames[i];
  }

  /** The value of the {@code i}-th header line. */
  public String headerValue(int i) {
    return headers[2 * i + 1];
  }

  /** The {@code User-Agent} header, or the empty string. */
  public String userAgent() {
    return userAgent;
  }

  /**
   * The value of the named cookie from the {@code Cookie} header lines, or {@code null}. Looks at every
   * {@code name=value} pair and returns the first with this exact name.
   */
  public String cookie(String name) {
    for (int i = find("cookie", 0); i >= 0; i = find("cookie", i + 1)) {
      String line = headers[2 * i + 1];
      if (line.indexOf(name) < 0) {
        // The common case for any one name: not in this line at all, found without parsing it.
        continue;
      }
      int pos = 0;
      while (pos < line.length()) {
        int end = line.indexOf(';', pos);
        if (end < 0) {
          end = line.length();
        }
        int eq = line.indexOf('=', pos);
        if (eq > 0 && eq < end) {
          // The name is compared in place: a request's other cookies cost no strings.
          int from = pos;
          int to = eq;
          while (from < to && line.charAt(from) <= ' ') {
            from++;
          }
          while (to > from && line.charAt(to - 1) <= ' ') {
            to--;
          }
          if (to - from == name.length() && line.regionMatches(from, name, 0, name.length())) {
            String value = line.substring(eq + 1, end).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
              value = value.substring(1, value.length() - 1);
            }
            return value;
          }
        }
        pos = end + 1;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return method + " " + scheme + "://" + host + uri() + " from " + peerAddress;
  }

  /** Builds {@link RequestFacts}. Not thread-safe. */
  public static final class Builder {
    private String peerAddress = "";
    private String method = "GET";
    private String scheme = "http";
    private String host = "";
    private String path = "/";
    private String query = "";
    private String contextPath = "";
    private String[] headers = NO_HEADERS; // made on the first line or hint, at the size hinted
    private int headerCount;
    private boolean headersShared; // handed to a built instance: copy before changing
    private String protocol;
    private String serverAddress;
    private int serverPort = -1;
    private ClientCertificate clientCertificate = ClientCertificate.NONE;
    private byte[] body;
    private long bodySize = -1;
    private boolean bodyTruncated;

    /** The header lines for a new instance: the builder's own array when it is exactly full. */
    private String[] takeHeaders() {
      if (headerCount == 0) {
        return NO_HEADERS;
      }
      if (2 * headerCount == headers.length) {
        headersShared = true;
        return headers;
      }
      return Arrays.copyOf(headers, 2 * headerCount);
    }

    private Builder() {}

    /** The connection's peer address as the server reports it. */
    public Builder peer(String address) {
      this.peerAddress = Objects.requireNonNullElse(address, "");
      return this;
    }

    public Builder method(String method) {
      this.method = Objects.requireNonNullElse(method, "");
      return this;
    }

    public Builder scheme(String scheme) {
      this.scheme = Objects.requireNonNullElse(scheme, "http");
      return this;
    }

    public Builder host(String host) {
      this.host = Objects.requireNonNullElse(host, "");
      return this;
    }

    /** The path as sent, percent-encoded, without the query. */
    public Builder path(String path) {
      this.path = Objects.requireNonNullElse(path, "");
      return this;
    }

    /** The query without {@code ?}; {@code null} for none. */
    public Builder query(String query) {
      this.query = Objects.requireNonNullElse(query, "");
      return this;
    }

    /**
     * The application's context path ({@code /shop}); {@code null}, empty or {@code /} for the root. A
     * trailing slash is dropped.
     */
    public Builder contextPath(String contextPath) {
      String c = Objects.requireNonNullElse(contextPath, "");
      this.contextPath = c.endsWith("/") ? c.substring(0, c.length() - 1) : c;
      return this;
    }

    /**
     * Path and query together, as in a request line ({@code /search?q=x}).
     */
    public Builder uri(String uri) {
      String u = Objects.requireNonNullElse(uri, "");
      int q = u.indexOf('?');
      this.path = q < 0 ? u : u.substring(0, q);
      this.query = q < 0 ? "" : u.substring(q + 1);
      return this;
    }

    /**
     * Room for {@code count} header lines in all, so that adding them copies nothing. A hint: more may
     * still be added.
     */
    public Builder expectHeaders(int count) {
      if (count > 0 && 2 * count > headers.length && count <= 1 << 20) {
        headers = headerCount == 0 ? new String[2 * count] : Arrays.copyOf(headers, 2 * count);
        headersShared = false;
      }
      return this;
    }

    /** Adds one header line; call again with the same name for further values. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      if (2 * headerCount + 2 > headers.length) {
        headers = Arrays.copyOf(headers, Math.max(16, headers.length * 2));
        headersShared = false;
      } else if (headersShared) {
        headers = headers.clone();
        headersShared = false;
      }
      headers[2 * headerCount] = name;
      headers[2 * headerCount + 1] = Objects.requireNonNullElse(value, "");
      headerCount++;
      return this;
    }

    /** The protocol of the request line ({@code HTTP/1.1}); {@code null} when unknown. */
    public Builder protocol(String protocol) {
      this.protocol = protocol;
      return this;
    }

    /** Where the request arrived: the server's address (may be {@code null}) and port (-1 when unknown). */
    public Builder server(String address, int port) {
      this.serverAddress = address;
      this.serverPort = port < 0 || port > 65535 ? -1 : port;
      return this;
    }

    /** Whether the client showed a TLS certificate, and whether the server verified it. */
    public Builder clientCertificate(ClientCertificate certificate) {
      this.clientCertificate = Objects.requireNonNull(certificate, "certificate");
      return this;
    }

    /**
     * The first bytes of the body, buffered for the rules (copied), the whole body's size (-1 when
     * unknown) and whether {@code prefix} holds less than all of it.
     */
    public Builder body(byte[] prefix, long size, boolean truncated) {
      this.body = Objects.requireNonNull(prefix, "prefix").clone();
      this.bodySize = size < 0 ? -1 : size;
      this.bodyTruncated = truncated;
      return this;
    }

    public RequestFacts build() {
      return new RequestFacts(this);
    }
  }
}
