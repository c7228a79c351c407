package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Action;
import io.gatehouse.core.ClientIp.Derivation;
import io.gatehouse.core.ClientIp;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.net.ClientIpResolver.Header;
import io.gatehouse.testing.Requests;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attempts to make Gatehouse judge the wrong address. Each case: the configured header, the peer,
 * the header lines sent (name: value), and the address that must be judged.
 */
class ClientIpSpoofingTest {

  private static final List<Cidr> PROXIES =
      List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:ffff::/48"));
  private static final List<Cidr> CLOUDFLARE = List.of(Cidr.parse("173.245.48.0/20"), Cidr.parse("2400:cb00::/32"));

  private static Arguments c(String name, Header header, List<Cidr> trusted, String peer, String expected,
      Derivation derivation, String... lines) {
    return Arguments.of(name, header, trusted, peer, expected, derivation, Arrays.asList(lines));
  }

  private static final Header XFF = Header.X_FORWARDED_FOR;
  private static final Header FWD = Header.FORWARDED;
  private static final String UNKNOWN = "unknown";

  static Stream<Arguments> cases() {
    return Stream.of(
        // Forged headers from peers that are not trusted proxies change nothing.
        c("forged allowlisted address from an untrusted peer", XFF, PROXIES, "198.51.100.7", "198.51.100.7",
            Derivation.UNTRUSTED_PEER, "X-Forwarded-For: 203.0.113.7"),
        c("forged trusted-proxy address from an untrusted peer", XFF, PROXIES, "198.51.100.7", "198.51.100.7",
            Derivation.UNTRUSTED_PEER, "X-Forwarded-For: 198.51.100.1, 10.0.0.1"),
        c("several forged lines from an untrusted peer", XFF, PROXIES, "198.51.100.7", "198.51.100.7",
            Derivation.UNTRUSTED_PEER, "X-Forwarded-For: 203.0.113.7", "X-Forwarded-For: 10.0.0.1"),
        c("forged header from an untrusted IPv6 peer", XFF, PROXIES, "2001:db8:1::7", "2001:db8:1::7",
            Derivation.UNTRUSTED_PEER, "X-Forwarded-For: 203.0.113.7"),
        c("untrusted peer that looks like a trusted IPv6 proxy but is outside its /48", XFF, PROXIES,
            "2001:db8:fffe::1", "2001:db8:fffe::1", Derivation.UNTRUSTED_PEER, "X-Forwarded-For: 203.0.113.7"),
        c("forged Forwarded from an untrusted peer", FWD, PROXIES, "198.51.100.7", "198.51.100.7",
            Derivation.UNTRUSTED_PEER, "Forwarded: for=203.0.113.7"),
        c("forged X-Real-IP from an untrusted peer", Header.X_REAL_IP, PROXIES, "198.51.100.7", "198.51.100.7",
            Derivation.UNTRUSTED_PEER, "X-Real-IP: 203.0.113.7"),
        c("forged CF-Connecting-IP from outside the CDN", Header.CF_CONNECTING_IP, CLOUDFLARE, "198.51.100.7",
            "198.51.100.7", Derivation.UNTRUSTED_PEER, "CF-Connecting-IP: 203.0.113.7"),
        c("forged True-Client-IP from an untrusted peer", Header.TRUE_CLIENT_IP, PROXIES, "198.51.100.7",
            "198.51.100.7", Derivation.UNTRUSTED_PEER, "True-Client-IP: 203.0.113.7"),
        c("no header configured: any header is ignored", Header.NONE, List.of(), "10.0.0.1", "10.0.0.1",
            Derivation.PEER, "X-Forwarded-For: 203.0.113.7"),

        // A trusted proxy: the right-most untrusted hop is the client; prepended hops are never believed.
        c("trusted peer without a header", XFF, PROXIES, "10.0.0.1", "10.0.0.1", Derivation.NO_HEADER),
        c("trusted peer, one client", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: 198.51.100.9"),
        c("prepended fake hop", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: 203.0.113.7, 198.51.100.9"),
        c("prepended fake hops that look trusted", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: 10.0.0.5, 203.0.113.7, 198.51.100.9"),
        c("client claims a trusted address; the edge appended the real one", XFF, PROXIES, "10.0.0.1",
            "198.51.100.66", Derivation.HEADER, "X-Forwarded-For: 10.0.0.9, 198.51.100.66"),
        c("chain of three trusted proxies", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: 203.0.113.7, 198.51.100.9, 10.0.0.3, 10.0.0.2"),
        c("several header lines: the last line is the right-most", XFF, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "X-Forwarded-For: 203.0.113.7", "X-Forwarded-For: 198.51.100.9"),
        c("several header lines, walk continues into the earlier line", XFF, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "X-Forwarded-For: 203.0.113.7, 198.51.100.9", "X-Forwarded-For: 10.0.0.2"),
        c("header lines of another name in between are ignored", XFF, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "X-Forwarded-For: 198.51.100.9", "X-Something: 203.0.113.7",
            "x-forwarded-for: 10.0.0.2"),
        c("every hop trusted: the left-most", XFF, PROXIES, "10.0.0.1", "10.0.0.9", Derivation.ALL_TRUSTED,
            "X-Forwarded-For: 10.0.0.9, 10.0.0.8"),
        c("empty header", XFF, PROXIES, "10.0.0.1", "10.0.0.1", Derivation.NO_HEADER, "X-Forwarded-For: "),
        c("only empty elements", XFF, PROXIES, "10.0.0.1", "10.0.0.1", Derivation.NO_HEADER,
            "X-Forwarded-For: , ,,"),
        c("empty elements are skipped", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: 203.0.113.7,198.51.100.9,, ,10.0.0.2,"),
        c("tabs and spaces around hops", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: \t198.51.100.9 ,\t10.0.0.2 "),

        // Values that are not addresses end the walk with an unknown client.
        c("unknown", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP, "X-Forwarded-For: unknown"),
        c("garbage right of the client", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: 198.51.100.9, garbage, 10.0.0.2"),
        c("garbage left of the client is never reached", XFF, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "X-Forwarded-For: garbage, <script>, 198.51.100.9"),
        c("leading zeros: 010.0.0.1 could be read as 8.0.0.1 or 10.0.0.1", XFF, PROXIES, "10.0.0.1", UNKNOWN,
            Derivation.INVALID_HOP, "X-Forwarded-For: 198.51.100.9, 010.0.0.1"),
        c("leading zeros in the client", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: 198.051.100.009"),
        c("Arabic-Indic digits", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: ١٩٨.51.100.9"),
        c("fullwidth digits", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: １０.0.0.1"),
        c("an address as one integer", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: 3325256713"),
        c("hexadecimal octets", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: 0xC6.0x33.0x64.0x09"),
        c("short form 127.1", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: 127.1"),
        c("trailing junk after an address", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: 198.51.100.9 x"),
        c("a host name", XFF, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Forwarded-For: proxy.internal.example"),

        // Ports, brackets, zones, mapped addresses and other IPv6 forms.
        c("IPv4 with a port", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: 198.51.100.9:4711"),
        c("bracketed IPv6 with a port", XFF, PROXIES, "10.0.0.1", "2001:db8::9", Derivation.HEADER,
            "X-Forwarded-For: [2001:db8::9]:443"),
        c("IPv6 with a zone id", XFF, PROXIES, "10.0.0.1", "fe80::1", Derivation.HEADER,
            "X-Forwarded-For: fe80::1%eth0"),
        c("IPv4-mapped client becomes IPv4", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: ::ffff:198.51.100.9"),
        c("IPv4-mapped trusted hop is still trusted", XFF, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "X-Forwarded-For: 198.51.100.9, ::ffff:10.0.0.2"),
        c("IPv4-mapped peer is still trusted", XFF, PROXIES, "::ffff:10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: 198.51.100.9"),
        c("IPv6 proxy chain", XFF, PROXIES, "2001:db8:ffff::1", "2001:db8:1::9", Derivation.HEADER,
            "X-Forwarded-For: 2001:db8:ffff::5, 2001:db8:1::9, 2001:db8:ffff::4"),
        c("uncompressed upper-case trusted IPv6 hop", XFF, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Forwarded-For: 198.51.100.9, 2001:DB8:FFFF:0:0:0:0:7"),
        c("IPv6 that ends in a trusted IPv4 is not IPv4", XFF, PROXIES, "10.0.0.1", "::a00:2", Derivation.HEADER,
            "X-Forwarded-For: ::10.0.0.2"),

        // The wrong header type for the configuration is not read.
        c("X-Forwarded-For configured, Forwarded sent", XFF, PROXIES, "10.0.0.1", "10.0.0.1", Derivation.NO_HEADER,
            "Forwarded: for=203.0.113.7"),
        c("Forwarded configured, X-Forwarded-For sent", FWD, PROXIES, "10.0.0.1", "10.0.0.1", Derivation.NO_HEADER,
            "X-Forwarded-For: 203.0.113.7"),
        c("X-Real-IP configured, X-Forwarded-For sent", Header.X_REAL_IP, PROXIES, "10.0.0.1", "10.0.0.1",
            Derivation.NO_HEADER, "X-Forwarded-For: 203.0.113.7"),

        // RFC 7239 Forwarded.
        c("Forwarded: one element", FWD, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "Forwarded: for=198.51.100.9;proto=https"),
        c("Forwarded: quoted IPv6 with brackets and port", FWD, PROXIES, "10.0.0.1", "2001:db8::9", Derivation.HEADER,
            "Forwarded: for=\"[2001:db8::9]:4711\""),
        c("Forwarded: unknown", FWD, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP, "Forwarded: for=unknown"),
        c("Forwarded: obfuscated token", FWD, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "Forwarded: for=_hidden"),
        c("Forwarded: several elements with other parameters", FWD, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "Forwarded: for=203.0.113.7, for=198.51.100.9;proto=https;by=10.0.0.3, for=10.0.0.2"),
        c("Forwarded: several header lines", FWD, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "Forwarded: for=203.0.113.7", "Forwarded: for=198.51.100.9, for=10.0.0.2"),
        c("Forwarded: prepended hop that looks trusted", FWD, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "Forwarded: for=10.0.0.5, for=198.51.100.9"),
        c("Forwarded: element without for", FWD, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "Forwarded: proto=https;host=shop.example"),
        c("Forwarded: parameter names are case-insensitive", FWD, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "Forwarded: For=\"198.51.100.9\""),
        c("Forwarded: a comma inside quotes is not a separator", FWD, PROXIES, "10.0.0.1", UNKNOWN,
            Derivation.INVALID_HOP, "Forwarded: for=\"198.51.100.9,10.0.0.2\""),
        c("Forwarded: quoted commas in another parameter", FWD, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "Forwarded: for=198.51.100.9;host=\"a,b\", for=10.0.0.2"),
        c("Forwarded: for given twice in one element", FWD, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "Forwarded: for=10.0.0.3;for=198.51.100.9"),
        c("Forwarded: IPv4-mapped address in brackets", FWD, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "Forwarded: for=\"[::ffff:198.51.100.9]\""),
        c("Forwarded: an unterminated quote", FWD, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "Forwarded: for=\"198.51.100.9"),
        c("Forwarded: empty elements are skipped", FWD, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "Forwarded: for=198.51.100.9, , for=10.0.0.2,"),

        // Single-value headers.
        c("X-Real-IP from a trusted proxy", Header.X_REAL_IP, PROXIES, "10.0.0.1", "198.51.100.9", Derivation.HEADER,
            "X-Real-IP: 198.51.100.9"),
        c("X-Real-IP twice: the last line is the proxy's", Header.X_REAL_IP, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "X-Real-IP: 203.0.113.7", "X-Real-IP: 198.51.100.9"),
        c("X-Real-IP holding a list: the right-most element", Header.X_REAL_IP, PROXIES, "10.0.0.1", "10.0.0.2",
            Derivation.HEADER, "X-Real-IP: 198.51.100.9, 10.0.0.2"),
        c("CF-Connecting-IP from the CDN", Header.CF_CONNECTING_IP, CLOUDFLARE, "173.245.48.10", "2001:db8::9",
            Derivation.HEADER, "CF-Connecting-IP: 2001:db8::9"),
        c("CF-Connecting-IP from the CDN over IPv6", Header.CF_CONNECTING_IP, CLOUDFLARE, "2400:cb00:2048::1",
            "198.51.100.9", Derivation.HEADER, "CF-Connecting-IP: 198.51.100.9"),
        c("True-Client-IP from a trusted proxy", Header.TRUE_CLIENT_IP, PROXIES, "10.0.0.1", "198.51.100.9",
            Derivation.HEADER, "True-Client-IP: 198.51.100.9"),
        c("True-Client-IP garbage", Header.TRUE_CLIENT_IP, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "True-Client-IP: 198.51.100.9 OR 1=1"),

        // Single-value headers from a proxy that appends instead of replacing: the right-most value is the
        // proxy's, whatever the visitor put before it.
        c("X-Real-IP: two lines", Header.X_REAL_IP, PROXIES, "10.0.0.1", "198.51.100.7", Derivation.HEADER,
            "X-Real-IP: 203.0.113.9", "X-Real-IP: 198.51.100.7"),
        c("CF-Connecting-IP: two lines", Header.CF_CONNECTING_IP, CLOUDFLARE, "173.245.48.10", "2001:db8::7",
            Derivation.HEADER, "CF-Connecting-IP: 203.0.113.9", "CF-Connecting-IP: 2001:db8::7"),
        c("True-Client-IP: three lines", Header.TRUE_CLIENT_IP, PROXIES, "10.0.0.1", "198.51.100.7",
            Derivation.HEADER, "True-Client-IP: 203.0.113.9", "True-Client-IP: 192.0.2.1",
            "True-Client-IP: 198.51.100.7"),
        c("X-Real-IP: a comma list", Header.X_REAL_IP, PROXIES, "10.0.0.1", "198.51.100.7", Derivation.HEADER,
            "X-Real-IP: 203.0.113.9, 198.51.100.7"),
        c("CF-Connecting-IP: a comma list", Header.CF_CONNECTING_IP, CLOUDFLARE, "173.245.48.10", "198.51.100.7",
            Derivation.HEADER, "CF-Connecting-IP: 203.0.113.9,2001:db8::9, 198.51.100.7"),
        c("True-Client-IP: a comma list on the last of two lines", Header.TRUE_CLIENT_IP, PROXIES, "10.0.0.1",
            "198.51.100.7", Derivation.HEADER, "True-Client-IP: 192.0.2.1, 192.0.2.2",
            "True-Client-IP: 203.0.113.9, 198.51.100.7"),
        c("X-Real-IP: spaces and tabs around the right-most value", Header.X_REAL_IP, PROXIES, "10.0.0.1",
            "198.51.100.7", Derivation.HEADER, "X-Real-IP: 203.0.113.9 ,\t 198.51.100.7 \t"),
        c("X-Real-IP: one value with spaces", Header.X_REAL_IP, PROXIES, "10.0.0.1", "198.51.100.7",
            Derivation.HEADER, "X-Real-IP: 198.51.100.7  "),
        c("X-Real-IP: garbage at the right", Header.X_REAL_IP, PROXIES, "10.0.0.1", UNKNOWN,
            Derivation.INVALID_HOP, "X-Real-IP: 198.51.100.7, garbage"),
        c("CF-Connecting-IP: garbage on the last line", Header.CF_CONNECTING_IP, CLOUDFLARE, "173.245.48.10",
            UNKNOWN, Derivation.INVALID_HOP, "CF-Connecting-IP: 198.51.100.7", "CF-Connecting-IP: unknown"),
        c("True-Client-IP: garbage at the left is never read", Header.TRUE_CLIENT_IP, PROXIES, "10.0.0.1",
            "198.51.100.7", Derivation.HEADER, "True-Client-IP: <script>, 1=1, 198.51.100.7"),
        c("X-Real-IP: a garbage line before the proxy's", Header.X_REAL_IP, PROXIES, "10.0.0.1", "198.51.100.7",
            Derivation.HEADER, "X-Real-IP: garbage", "X-Real-IP: 198.51.100.7"),
        c("X-Real-IP: a trailing comma leaves the right-most value empty", Header.X_REAL_IP, PROXIES, "10.0.0.1",
            UNKNOWN, Derivation.INVALID_HOP, "X-Real-IP: 198.51.100.7,"),
        c("X-Real-IP: a blank last line", Header.X_REAL_IP, PROXIES, "10.0.0.1", UNKNOWN, Derivation.INVALID_HOP,
            "X-Real-IP: 198.51.100.7", "X-Real-IP: "),
        c("X-Real-IP: only blank lines", Header.X_REAL_IP, PROXIES, "10.0.0.1", "10.0.0.1", Derivation.NO_HEADER,
            "X-Real-IP: ", "X-Real-IP:  "),
        c("X-Real-IP: a leading-zero right-most value", Header.X_REAL_IP, PROXIES, "10.0.0.1", UNKNOWN,
            Derivation.INVALID_HOP, "X-Real-IP: 198.51.100.7, 010.0.0.1"),
        c("X-Real-IP: bracketed IPv6 with a port at the right", Header.X_REAL_IP, PROXIES, "10.0.0.1",
            "2001:db8::7", Derivation.HEADER, "X-Real-IP: 203.0.113.9, [2001:db8::7]:443"),
        c("X-Real-IP: several lines from an untrusted peer", Header.X_REAL_IP, PROXIES, "198.51.100.7",
            "198.51.100.7", Derivation.UNTRUSTED_PEER, "X-Real-IP: 203.0.113.9", "X-Real-IP: 192.0.2.1"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void judgesTheRightAddress(String name, Header header, List<Cidr> trusted, String peer, String expected,
      Derivation derivation, List<String> lines) {
    RequestFacts.Builder b = RequestFacts.builder().peer(peer);
    for (String line : lines) {
      int colon = line.indexOf(':');
      b.header(line.substring(0, colon), line.substring(colon + 1).stripLeading());
    }
    ClientIp client = ClientIpResolver.of(header, trusted).resolve(b.build());
    assertThat(client.addressText()).isEqualTo(expected);
    assertThat(client.derivation()).isEqualTo(derivation);
    assertThat(client.peer()).hasToString(io.gatehouse.core.net.IpAddress.parse(peer).toString());
  }

  @Test
  void tenThousandTrustedHopsStopAtTheHopLimit() {
    StringBuilder xff = new StringBuilder("198.51.100.9");
    for (int i = 0; i < 10_000; i++) {
      xff.append(", 10.0.").append(i / 250).append('.').append(i % 250 + 1);
    }
    ClientIp client = ClientIpResolver.of(XFF, PROXIES)
        .resolve(RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-For", xff.toString()).build());
    assertThat(client.address()).isNull();
    assertThat(client.derivation()).isEqualTo(Derivation.TOO_MANY_HOPS);
  }

  @Test
  void hugeHeadersAreHandledWithoutTrouble() {
    String token = "9".repeat(64 * 1024);
    String commas = ",".repeat(64 * 1024);
    String quoted = "for=\"" + "\\\"".repeat(32 * 1024) + "\"";
    List<RequestFacts> requests = new ArrayList<>();
    requests.add(RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-For", token).build());
    requests.add(RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-For", "198.51.100.9" + commas).build());
    requests.add(RequestFacts.builder().peer("10.0.0.1").header("Forwarded", quoted).build());
    requests.add(RequestFacts.builder().peer("10.0.0.1").header("Forwarded", "for=198.51.100.9" + commas).build());
    assertThat(ClientIpResolver.of(XFF, PROXIES).resolve(requests.get(0)).derivation()).isEqualTo(Derivation.INVALID_HOP);
    assertThat(ClientIpResolver.of(XFF, PROXIES).resolve(requests.get(1)).addressText()).isEqualTo("198.51.100.9");
    assertThat(ClientIpResolver.of(FWD, PROXIES).resolve(requests.get(2)).derivation()).isEqualTo(Derivation.INVALID_HOP);
    assertThat(ClientIpResolver.of(FWD, PROXIES).resolve(requests.get(3)).addressText()).isEqualTo("198.51.100.9");
  }

  @Test
  void theDecisionAndTheEventSayHowTheClientWasFound() throws Exception {
    Gatehouse g = Gatehouse.builder().config(io.gatehouse.core.config.ConfigSource.text("t", """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=10.0.0.0/8
        gatehouse.access-rule.bad=block ip 198.51.100.0/24
        """)).environment(java.util.Map.of()).build();
    Decision d = g.decide(io.gatehouse.testing.Requests.browser("10.0.0.1").header("X-Forwarded-For", "198.51.100.9")
        .build());
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.client().derivation()).isEqualTo(Derivation.HEADER);
    var e = g.events().findByRay(d.rayId()).orElseThrow();
    assertThat(e.clientIp()).isEqualTo("198.51.100.9");
    assertThat(e.peerIp()).isEqualTo("10.0.0.1");
    assertThat(e.clientIpDerivation()).isEqualTo("header");

    Decision spoofed = g.decide(io.gatehouse.testing.Requests.browser("203.0.113.5")
        .header("X-Forwarded-For", "198.51.100.9").build());
    assertThat(spoofed.action()).isEqualTo(Action.ALLOW);
    assertThat(spoofed.client().derivation()).isEqualTo(Derivation.UNTRUSTED_PEER);
  }

  @Test
  void aBlockedClientBehindAnAppendingProxyIsStillBlocked() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("t", """
        gatehouse.client-ip.header=X-Real-IP
        gatehouse.client-ip.trusted-proxies=10.0.0.0/8
        gatehouse.access-rule.bad=block ip 198.51.100.0/24
        """)).environment(Map.of()).build();
    // The visitor sent its own X-Real-IP; the proxy appended the real address, to the line or as a line.
    Decision appended = g.decide(Requests.browser("10.0.0.1").header("X-Real-IP", "203.0.113.9, 198.51.100.7")
        .build());
    assertThat(appended.action()).isEqualTo(Action.BLOCK);
    assertThat(appended.client().addressText()).isEqualTo("198.51.100.7");
    Decision twoLines = g.decide(Requests.browser("10.0.0.1").header("X-Real-IP", "203.0.113.9")
        .header("X-Real-IP", "198.51.100.7").build());
    assertThat(twoLines.action()).isEqualTo(Action.BLOCK);
    assertThat(twoLines.client().derivation()).isEqualTo(Derivation.HEADER);
  }

  @Test
  void aHeaderWithoutTrustedProxiesAndProxiesWithoutAHeaderAreConfigurationErrors() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gatehouse.builder()
            .config(io.gatehouse.core.config.ConfigSource.text("t", """
                gatehouse.client-ip.header=X-Forwarded-For
                """)).environment(java.util.Map.of()).build())
        .hasMessageContaining("t:1: gatehouse.client-ip.header: needs gatehouse.client-ip.trusted-proxies");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gatehouse.builder()
            .config(io.gatehouse.core.config.ConfigSource.text("t", """
                gatehouse.client-ip.trusted-proxies=10.0.0.0/8
                """)).environment(java.util.Map.of()).build())
        .hasMessageContaining("t:1: gatehouse.client-ip.trusted-proxies: has no effect without gatehouse.client-ip.header");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gatehouse.builder()
            .config(io.gatehouse.core.config.ConfigSource.text("t", """
                gatehouse.client-ip.header=X-Forwarded-Host
                gatehouse.client-ip.trusted-proxies=10.0.0.1/8
                """)).environment(java.util.Map.of()).build())
        .hasMessage("2 configuration problems:\n"
            + "t:1: gatehouse.client-ip.header: 'X-Forwarded-Host' is not one of none, X-Forwarded-For, Forwarded,"
            + " X-Real-IP, CF-Connecting-IP, True-Client-IP\n"
            + "t:2: gatehouse.client-ip.trusted-proxies: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8");
  }
}
