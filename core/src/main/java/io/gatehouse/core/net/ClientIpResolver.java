package io.gatehouse.core.net;

import io.gatehouse.core.ClientIp.Derivation;
import io.gatehouse.core.ClientIp;
import io.gatehouse.core.RequestFacts;
import java.util.List;

/**
 * Finds the address a request is judged by: the connection's peer, or, when the peer is a proxy the
 * site owner trusts, the visitor's address from a forwarding header.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A forwarding header is read only when the connection's peer is in the trusted proxies. From any
 *       other peer it is ignored entirely, so nobody can pick their own address by sending one.</li>
 *   <li>{@code X-Forwarded-For} and {@code Forwarded} are lists that every proxy appends to. They are
 *       walked from the right, across all header lines in order: each hop that is a trusted proxy is
 *       passed over, and the first hop that is not is the client. Hops to its left were written by
 *       whoever sent the request to that client's proxy and are never believed.</li>
 *   <li>If every hop is trusted, the left-most is the client ({@link Derivation#ALL_TRUSTED}).</li>
 *   <li>Empty list elements are skipped (RFC 9110 §5.6.1). A hop that is not an address
 *       ({@code unknown}, an obfuscated {@code _token}, garbage, a {@code Forwarded} element without
 *       {@code for=}) ends the walk: the client is unknown ({@link Derivation#INVALID_HOP}, address
 *       {@code null}). Using the reporting proxy's address instead would let every hidden visitor share,
 *       and spend, that proxy's reputation and allow rules.</li>
 *   <li>At most {@value #MAX_HOPS} hops are walked; a longer chain of trusted hops ends the walk with an
 *       unknown client ({@link Derivation#TOO_MANY_HOPS}). Only the hops walked are parsed, from the right,
 *       without splitting the header, so a 64 KiB header or 10,000 hops costs no more than its length.</li>
 *   <li>Single-value headers ({@code X-Real-IP}, {@code CF-Connecting-IP}, {@code True-Client-IP}) are
 *       taken as the client when the peer is trusted. Their right-most value counts: the last comma-separated
 *       element, trimmed, of the last header line, which is the one the trusted proxy wrote even when it
 *       appends to what the visitor sent instead of replacing it. Anything to its left is never believed.
 *       If the right-most value is empty or not an address, the client is unknown
 *       ({@link Derivation#INVALID_HOP}).</li>
 *   <li>Addresses may carry a port, brackets or an IPv6 zone id; IPv4-mapped IPv6 becomes IPv4.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ClientIpResolver {

  /** The most hops walked in a list header. */
  public static final int MAX_HOPS = 64;

  /** The forwarding headers Gatehouse can read. */
  public enum Header {
    NONE("none", false),
    X_FORWARDED_FOR("X-Forwarded-For", true),
    FORWARDED("Forwarded", true),
    X_REAL_IP("X-Real-IP", false),
    CF_CONNECTING_IP("CF-Connecting-IP", false),
    TRUE_CLIENT_IP("True-Client-IP", false);

    private final String headerName;
    private final String lowerName;
    private final boolean list;

    Header(String headerName, boolean list) {
      this.headerName = headerName;
      this.lowerName = headerName.toLowerCase(java.util.Locale.ROOT);
      this.list = list;
    }

    /** The header's name as written in configuration and on the wire ({@code none} for none). */
    public String headerName() {
      return headerName;
    }

    /** The header whose name is {@code name}, in any case, or {@code null}. */
    public static Header fromName(String name) {
      for (Header h : values()) {
        if (h.headerName.equalsIgnoreCase(name.trim())) {
          return h;
        }
      }
      return null;
    }
  }

  private static final ClientIpResolver PEER_ONLY = new ClientIpResolver(Header.NONE, List.of());

  private final Header header;
  private final List<Cidr> trustedProxies;
  private final IntervalIndex<Boolean> trusted;

  private ClientIpResolver(Header header, List<Cidr> trustedProxies) {
    this.header = header;
    this.trustedProxies = List.copyOf(trustedProxies);
    IntervalIndex.Builder<Boolean> b = IntervalIndex.builder();
    for (Cidr c : trustedProxies) {
      b.add(c, Boolean.TRUE);
    }
    this.trusted = b.build();
  }

  /** A resolver that always judges the connection's peer. */
  public static ClientIpResolver peerOnly() {
    return PEER_ONLY;
  }

  /** A resolver reading {@code header} from the {@code trustedProxies}. */
  public static ClientIpResolver of(Header header, List<Cidr> trustedProxies) {
    return header == Header.NONE && trustedProxies.isEmpty() ? PEER_ONLY : new ClientIpResolver(header, trustedProxies);
  }

  public Header header() {
    return header;
  }

  public List<Cidr> trustedProxies() {
    return trustedProxies;
  }

  /** Whether {@code address} is a trusted proxy. */
  public boolean isTrusted(IpAddress address) {
    return address != null && trusted.get(address) != null;
  }

  /**
   * Whether the visitor reached the site over HTTPS: the connection's own scheme, or, when the peer is a
   * trusted proxy, what the proxy says in {@code X-Forwarded-Proto} or the {@code proto} of
   * {@code Forwarded} (the right-most value of either: the one the nearest proxy wrote). From any other
   * peer those headers are ignored, as the forwarding headers are. Never throws.
   */
  public boolean visitorUsedHttps(RequestFacts facts) {
    if ("https".equalsIgnoreCase(facts.scheme())) {
      return true;
    }
    if (!isTrusted(facts.peer())) {
      return false;
    }
    String proto = null;
    for (int i = 0; i < facts.headerCount(); i++) {
      String name = facts.headerNameLowerCase(i);
      String line = facts.headerValue(i);
      if (name.equals("x-forwarded-proto")) {
        int from = skipBlanks(line, line.lastIndexOf(',') + 1, line.length());
        proto = line.substring(from, trimBlanks(line, from, line.length()));
      } else if (name.equals("forwarded")) {
        String p = lastForwardedProto(line);
        if (p != null) {
          proto = p;
        }
      }
    }
    return proto != null && proto.equalsIgnoreCase("https");
  }

  /** The {@code proto} of the last non-empty element of a {@code Forwarded} line, or {@code null}. */
  private static String lastForwardedProto(String line) {
    int end = line.length();
    while (end >= 0) {
      int start = elementStart(line, end);
      int from = skipBlanks(line, start, end);
      int to = trimBlanks(line, from, end);
      if (from < to) {
        return forwardedParameter(line, from, to, "proto");
      }
      end = start - 1;
    }
    return null;
  }

  /** The client of this request. Never throws. */
  public ClientIp resolve(RequestFacts facts) {
    IpAddress peer = facts.peer();
    if (header == Header.NONE) {
      return new ClientIp(peer, peer, Derivation.PEER);
    }
    if (!isTrusted(peer)) {
      return new ClientIp(peer, peer, Derivation.UNTRUSTED_PEER);
    }
    return header.list ? walk(facts, peer) : single(facts, peer);
  }

  /**
   * Reads a single-value header by its right-most value: a proxy that appends a line, or a comma and its
   * value, instead of replacing what the visitor sent still writes last, so what comes before it is the
   * visitor's own claim and is never believed.
   */
  private ClientIp single(RequestFacts facts, IpAddress peer) {
    String last = null;
    boolean blank = true;
    for (int i = 0; i < facts.headerCount(); i++) {
      if (facts.headerNameLowerCase(i).equals(header.lowerName)) {
        last = facts.headerValue(i);
        blank &= last.isBlank();
      }
    }
    if (blank) {
      return new ClientIp(peer, peer, Derivation.NO_HEADER);
    }
    // An empty right-most value (a trailing comma, a blank last line) is not skipped as in a list:
    // the element to its left may be the visitor's, so the client is unknown.
    IpAddress client = IpAddress.tryParseLoose(last, last.lastIndexOf(',') + 1, last.length());
    return client == null ? new ClientIp(null, peer, Derivation.INVALID_HOP) : new ClientIp(client, peer, Derivation.HEADER);
  }

  /** Walks a list header from the right across its lines, last line first. */
  private ClientIp walk(RequestFacts facts, IpAddress peer) {
    IpAddress lastTrusted = null;
    int hops = 0;
    boolean forwarded = header == Header.FORWARDED;
    for (int i = facts.headerCount() - 1; i >= 0; i--) {
      if (!facts.headerNameLowerCase(i).equals(header.lowerName)) {
        continue;
      }
      String line = facts.headerValue(i);
      int end = line.length();
      while (end >= 0) {
        int start = forwarded ? elementStart(line, end) : line.lastIndexOf(',', end - 1) + 1;
        int from = skipBlanks(line, start, end);
        int to = trimBlanks(line, from, end);
        end = start - 1; // the comma before this element, or -1 when the line is done
        if (from == to) {
          continue; // an empty list element
        }
        if (++hops > MAX_HOPS) {
          return new ClientIp(null, peer, Derivation.TOO_MANY_HOPS);
        }
        IpAddress hop = forwarded ? forwardedFor(line, from, to) : IpAddress.tryParseLoose(line, from, to);
        if (hop == null) {
          return new ClientIp(null, peer, Derivation.INVALID_HOP);
        }
        if (!isTrusted(hop)) {
          return new ClientIp(hop, peer, Derivation.HEADER);
        }
        lastTrusted = hop;
      }
    }
    return lastTrusted == null
        ? new ClientIp(peer, peer, Derivation.NO_HEADER)
        : new ClientIp(lastTrusted, peer, Derivation.ALL_TRUSTED);
  }

  /** The start of the {@code Forwarded} element ending at {@code end}: just after the last comma outside quotes. */
  private static int elementStart(String s, int end) {
    boolean quoted = false;
    for (int j = end - 1; j >= 0; j--) {
      char c = s.charAt(j);
      if (c == '"' && !escaped(s, j)) {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        return j + 1;
      }
    }
    return 0;
  }

  private static boolean escaped(String s, int quote) {
    int backslashes = 0;
    for (int j = quote - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
      backslashes++;
    }
    return (backslashes & 1) == 1;
  }

  /**
   * The address in the {@code for} parameter of the {@code Forwarded} element {@code s[from, to)}, or
   * {@code null} when it has none, has it twice, or it is {@code unknown}, obfuscated or malformed.
   */
  private static IpAddress forwardedFor(String s, int from, int to) {
    String value = forwardedParameter(s, from, to, "for");
    if (value == null || value.isEmpty() || value.charAt(0) == '_' || value.equalsIgnoreCase("unknown")) {
      return null;
    }
    return IpAddress.tryParseLoose(value);
  }

  /**
   * The value of the parameter {@code name} in the {@code Forwarded} element {@code s[from, to)}, unquoted,
   * or {@code null} when it is absent, appears twice (RFC 7239 §4) or is malformed.
   */
  private static String forwardedParameter(String s, int from, int to, String name) {
    String value = null;
    int pos = from;
    while (pos < to) {
      int pairEnd = pairEnd(s, pos, to);
      int eq = s.indexOf('=', pos);
      if (eq > pos && eq < pairEnd) {
        int nameFrom = skipBlanks(s, pos, eq);
        int nameTo = trimBlanks(s, nameFrom, eq);
        if (nameTo - nameFrom == name.length() && s.regionMatches(true, nameFrom, name, 0, name.length())) {
          if (value != null) {
            return null;
          }
          int valueFrom = skipBlanks(s, eq + 1, pairEnd);
          value = parameterValue(s, valueFrom, trimBlanks(s, valueFrom, pairEnd));
          if (value == null) {
            return null;
          }
        }
      }
      pos = pairEnd + 1;
    }
    return value;
  }

  private static int pairEnd(String s, int from, int to) {
    boolean quoted = false;
    for (int j = from; j < to; j++) {
      char c = s.charAt(j);
      if (c == '\\' && quoted) {
        j++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ';' && !quoted) {
        return j;
      }
    }
    return to;
  }

  /** A token, or a quoted string unescaped; {@code null} when malformed or longer than an address can be. */
  private static String parameterValue(String s, int from, int to) {
    if (to - from > 128) {
      return null;
    }
    if (from < to && s.charAt(from) == '"') {
      if (to - from < 2 || s.charAt(to - 1) != '"' || escaped(s, to - 1)) {
        return null;
      }
      StringBuilder out = new StringBuilder(to - from);
      for (int j = from + 1; j < to - 1; j++) {
        char c = s.charAt(j);
        if (c == '\\') {
          j++;
          c = s.charAt(j);
        } else if (c == '"') {
          return null;
        }
        out.append(c);
      }
      return out.toString();
    }
    return s.substring(from, to);
  }

  private static int skipBlanks(String s, int from, int to) {
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    return from;
  }

  private static int trimBlanks(String s, int from, int to) {
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return to;
  }

  @Override
  public String toString() {
    return header == Header.NONE ? "peer address" : header.headerName + " from " + trustedProxies;
  }

}
