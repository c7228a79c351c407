package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.core.ClientIp.Derivation;
import io.gatehouse.core.ClientIp;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.net.ClientIpResolver.Header;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Forwarding headers and peer addresses, as anyone may send them. {@link ClientIpResolver#resolve} and
 * {@link ClientIpResolver#visitorUsedHttps} never throw; the address resolved is the peer, or one that
 * stands in the header; it is taken from the header only when the peer is trusted; a hop chosen from the
 * header is not trusted unless every hop is; and {@code X-Forwarded-For} and the single-value headers
 * resolve exactly as a plain reading of the rules in the class's Javadoc does (split at commas, walk from
 * the right).
 *
 * <p>Header lines are either the fuzzer's own text or built from hops it picks (trusted and untrusted
 * addresses in every notation, {@code unknown}, obfuscated names, garbage), so that long chains of
 * trusted hops are reached. {@code core/fuzz.sh client-ip} fuzzes this for longer.
 */
class ClientIpResolverFuzzTest {

  private static final String[] TRUSTED = {"10.0.0.0/8", "192.0.2.0/24", "2001:db8:ffff::/48", "127.0.0.1", "::1",
      "0.0.0.0/0"};
  private static final String[] PEERS = {"10.0.0.1", "10.255.255.255", "192.0.2.9", "127.0.0.1", "::1",
      "2001:db8:ffff::1", "[2001:db8:ffff::2]:443", "::ffff:10.0.0.3", "203.0.113.7", "198.51.100.1:8080",
      "2001:db8::1", "fe80::1%eth0", "", "unknown", "010.0.0.1"};
  private static final String[] HOPS = {"10.0.0.2", "10.1.2.3:80", "192.0.2.1", "127.0.0.1", "[::1]", "[::1]:8443",
      "2001:db8:ffff::9", "::ffff:192.0.2.5", "203.0.113.9", "198.51.100.23:1234", "2001:db8::7", "[2001:db8::8]:99",
      "fe80::2%25eth0", "fe80::3%eth0", "unknown", "_hidden", "garbage", "", " ", "\t", "1.2.3", "256.0.0.1",
      "0x7f.0.0.1", "for=203.0.113.10", "for=\"[2001:db8::a]:80\"", "For=10.0.0.9;proto=https", "for=_x", "for=unknown",
      "by=10.0.0.1", "for=10.0.0.4;for=10.0.0.5", "proto=https", "for=\"203.0.113.\\11\"", "for=\"10.0.0.6",
      "for=10.0.0.7\"", "host=\"a,b\";for=192.0.2.77", "for = 198.51.100.99 ", "for=\"\"", "FOR=[2001:db8:ffff::3]"};
  private static final String[] SEPARATORS = {",", ", ", " ,", ",,", ",\t", ", ,"};

  @FuzzTest(maxDuration = "10s")
  void resolvesAnyForwardingHeaders(FuzzedDataProvider data) {
    Header header = data.pickValue(Header.values());
    List<Cidr> trusted = new ArrayList<>();
    int mask = data.consumeInt(0, (1 << TRUSTED.length) - 1);
    for (int i = 0; i < TRUSTED.length; i++) {
      if ((mask & 1 << i) != 0 && (i != TRUSTED.length - 1 || data.consumeBoolean())) {
        trusted.add(Cidr.parse(TRUSTED[i]));
      }
    }
    ClientIpResolver resolver = ClientIpResolver.of(header, trusted);

    RequestFacts.Builder b = RequestFacts.builder()
        .peer(data.consumeBoolean() ? data.pickValue(PEERS) : data.consumeString(64))
        .scheme(data.pickValue(new String[] {"http", "https", "HTTPS", ""}));
    String name = header == Header.NONE ? "X-Forwarded-For" : header.headerName();
    int lines = data.consumeInt(0, 6);
    for (int i = 0; i < lines; i++) {
      String lineName = switch (data.consumeInt(0, 5)) {
        case 0 -> name.toUpperCase(java.util.Locale.ROOT);
        case 1 -> name.toLowerCase(java.util.Locale.ROOT);
        case 2 -> "X-Forwarded-Proto";
        case 3 -> data.pickValue(new String[] {"Forwarded", "X-Real-IP", "X-Forwarded-For", "True-Client-IP"});
        default -> name;
      };
      b.header(lineName, data.consumeBoolean() ? data.consumeString(300) : hops(data));
    }
    RequestFacts facts = b.build();

    ClientIp client = resolver.resolve(facts);
    boolean https = resolver.visitorUsedHttps(facts);

    IpAddress peer = facts.peer();
    assertThat(client.peer()).isEqualTo(peer);
    assertThat(client.derivation()).isNotNull();
    if ("https".equalsIgnoreCase(facts.scheme())) {
      assertThat(https).isTrue();
    } else if (!resolver.isTrusted(peer)) {
      assertThat(https).as("X-Forwarded-Proto from an untrusted peer").isFalse();
    }
    switch (client.derivation()) {
      case PEER -> {
        assertThat(header).isEqualTo(Header.NONE);
        assertThat(client.address()).isEqualTo(peer);
      }
      case UNTRUSTED_PEER -> {
        assertThat(resolver.isTrusted(peer)).isFalse();
        assertThat(client.address()).isEqualTo(peer);
      }
      case NO_HEADER -> assertThat(client.address()).isEqualTo(peer);
      case HEADER -> assertThat(client.address()).isNotNull();
      case ALL_TRUSTED -> assertThat(resolver.isTrusted(client.address())).isTrue();
      case INVALID_HOP, TOO_MANY_HOPS -> assertThat(client.address()).isNull();
    }
    if (client.derivation() != Derivation.PEER && client.derivation() != Derivation.UNTRUSTED_PEER) {
      assertThat(header).isNotEqualTo(Header.NONE);
      assertThat(resolver.isTrusted(peer)).as("a header read from peer %s", peer).isTrue();
    }
    if (client.derivation() == Derivation.HEADER && (header == Header.X_FORWARDED_FOR
        || header == Header.FORWARDED)) {
      assertThat(resolver.isTrusted(client.address())).as("the first untrusted hop").isFalse();
    }
    switch (header) {
      case NONE -> { }
      case X_FORWARDED_FOR -> assertThat(client).isEqualTo(walkXForwardedFor(facts, resolver, peer));
      case FORWARDED -> {
        if (client.derivation() == Derivation.HEADER || client.derivation() == Derivation.ALL_TRUSTED) {
          assertThat(forValues(facts)).as("for= values in %s", facts.headers("Forwarded"))
              .contains(client.address());
        }
      }
      default -> assertThat(client).isEqualTo(single(facts, resolver, peer, header));
    }
  }

  /** A header line of hops picked from {@link #HOPS}, with commas of every spacing between them. */
  private static String hops(FuzzedDataProvider data) {
    int n = data.consumeInt(0, 70);
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        line.append(data.pickValue(SEPARATORS));
      }
      line.append(data.pickValue(HOPS));
    }
    return line.toString();
  }

  /** The lines of {@code facts} named {@code lower}, compared by ASCII case as header names are. */
  private static List<String> lines(RequestFacts facts, String lower) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < facts.headerCount(); i++) {
      if (asciiLower(facts.headerName(i)).equals(lower)) {
        out.add(facts.headerValue(i));
      }
    }
    return out;
  }

  private static String asciiLower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return sb.toString();
  }

  private static String trimBlanks(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }

  /** X-Forwarded-For as the rules say: every element of every line, from the right. */
  private static ClientIp walkXForwardedFor(RequestFacts facts, ClientIpResolver resolver, IpAddress peer) {
    if (!resolver.isTrusted(peer)) {
      return new ClientIp(peer, peer, Derivation.UNTRUSTED_PEER);
    }
    List<String> elements = new ArrayList<>();
    for (String line : lines(facts, "x-forwarded-for")) {
      for (String element : line.split(",", -1)) {
        elements.add(trimBlanks(element));
      }
    }
    IpAddress lastTrusted = null;
    int hops = 0;
    for (int i = elements.size() - 1; i >= 0; i--) {
      if (elements.get(i).isEmpty()) {
        continue;
      }
      if (++hops > ClientIpResolver.MAX_HOPS) {
        return new ClientIp(null, peer, Derivation.TOO_MANY_HOPS);
      }
      IpAddress hop = IpAddress.tryParseLoose(elements.get(i));
      if (hop == null) {
        return new ClientIp(null, peer, Derivation.INVALID_HOP);
      }
      if (!resolver.isTrusted(hop)) {
        return new ClientIp(hop, peer, Derivation.HEADER);
      }
      lastTrusted = hop;
    }
    return lastTrusted == null ? new ClientIp(peer, peer, Derivation.NO_HEADER)
        : new ClientIp(lastTrusted, peer, Derivation.ALL_TRUSTED);
  }

  /** A single-value header as the rules say: the last element of the last line. */
  private static ClientIp single(RequestFacts facts, ClientIpResolver resolver, IpAddress peer, Header header) {
    if (!resolver.isTrusted(peer)) {
      return new ClientIp(peer, peer, Derivation.UNTRUSTED_PEER);
    }
    List<String> values = lines(facts, asciiLower(header.headerName()));
    if (values.stream().allMatch(String::isBlank)) {
      return new ClientIp(peer, peer, Derivation.NO_HEADER);
    }
    String last = values.get(values.size() - 1);
    IpAddress client = IpAddress.tryParseLoose(last.substring(last.lastIndexOf(',') + 1));
    return client == null ? new ClientIp(null, peer, Derivation.INVALID_HOP)
        : new ClientIp(client, peer, Derivation.HEADER);
  }

  /** Every address that stands in a {@code for=} parameter anywhere in the Forwarded lines. */
  private static Set<IpAddress> forValues(RequestFacts facts) {
    Set<IpAddress> out = new HashSet<>();
    for (String line : lines(facts, "forwarded")) {
      String lower = asciiLower(line);
      for (int at = lower.indexOf("for"); at >= 0; at = lower.indexOf("for", at + 1)) {
        int i = at + 3;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
          i++;
        }
        if (i >= line.length() || line.charAt(i) != '=') {
          continue;
        }
        i++;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
          i++;
        }
        StringBuilder value = new StringBuilder();
        if (i < line.length() && line.charAt(i) == '"') {
          for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
            if (line.charAt(i) == '\\' && i + 1 < line.length()) {
              i++;
            }
            value.append(line.charAt(i));
          }
        } else {
          for (; i < line.length() && line.charAt(i) != ';' && line.charAt(i) != ','; i++) {
            value.append(line.charAt(i));
          }
        }
        IpAddress a = IpAddress.tryParseLoose(value);
        if (a != null) {
          out.add(a);
        }
      }
    }
    return out;
  }
}
