package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.ClientIp;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.net.ClientIpResolver.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The resolver against a naive reference on random proxy chains: join every line, split every element,
 * walk from the right.
 */
class ClientIpProperties {

  private static final List<Cidr> TRUSTED = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:ffff::/48"));
  private static final Pattern FOR = Pattern.compile("(?i)(?:^|;)\\s*for=(\"[^\"]*\"|[^;]*)");

  /** One hop as a proxy might write it: the address text, and how to write it in Forwarded. */
  record Hop(String xff, String forwarded) {}

  private static boolean trusted(IpAddress a) {
    return TRUSTED.stream().anyMatch(c -> c.contains(a));
  }

  private static String naive(String peerText, List<String> elements, boolean forwarded) {
    IpAddress peer = IpAddress.parse(peerText);
    if (!trusted(peer)) {
      return peer + " untrusted_peer";
    }
    List<String> hops = new ArrayList<>();
    for (String e : elements) {
      if (!e.trim().isEmpty()) {
        hops.add(e.trim());
      }
    }
    if (hops.isEmpty()) {
      return peer + " no_header";
    }
    IpAddress last = null;
    int walked = 0;
    for (int i = hops.size() - 1; i >= 0; i--) {
      if (++walked > ClientIpResolver.MAX_HOPS) {
        return "unknown too_many_hops";
      }
      String text = hops.get(i);
      if (forwarded) {
        Matcher m = FOR.matcher(text);
        text = m.find() ? m.group(1).trim() : "unknown";
        if (text.startsWith("\"")) {
          text = text.substring(1, text.length() - 1);
        }
        if (text.startsWith("_") || text.equalsIgnoreCase("unknown")) {
          return "unknown invalid_hop";
        }
      }
      IpAddress a = IpAddress.tryParseLoose(text);
      if (a == null) {
        return "unknown invalid_hop";
      }
      if (!trusted(a)) {
        return a + " header";
      }
      last = a;
    }
    return last + " all_trusted";
  }

  @Property(tries = 2000)
  void xForwardedForMatchesTheNaiveWalk(@ForAll @Size(max = 12) List<@From("hops") Hop> hops,
      @ForAll("peers") String peer, @ForAll @IntRange(min = 1, max = 3) int lines) {
    List<String> values = new ArrayList<>();
    for (Hop h : hops) {
      values.add(h.xff);
    }
    check(Header.X_FORWARDED_FOR, peer, values, lines, false);
  }

  @Property(tries = 2000)
  void forwardedMatchesTheNaiveWalk(@ForAll @Size(max = 12) List<@From("hops") Hop> hops,
      @ForAll("peers") String peer, @ForAll @IntRange(min = 1, max = 3) int lines) {
    List<String> values = new ArrayList<>();
    for (Hop h : hops) {
      values.add(h.forwarded);
    }
    check(Header.FORWARDED, peer, values, lines, true);
  }

  private static void check(Header header, String peer, List<String> elements, int lines, boolean forwarded) {
    // Spread the elements over up to `lines` header lines, in order.
    RequestFacts.Builder b = RequestFacts.builder().peer(peer);
    int per = Math.max(1, (elements.size() + lines - 1) / lines);
    for (int i = 0; i < elements.size(); i += per) {
      b.header(header.headerName(), String.join(",", elements.subList(i, Math.min(elements.size(), i + per))));
    }
    ClientIp got = ClientIpResolver.of(header, TRUSTED).resolve(b.build());
    assertThat(got.addressText() + " " + got.derivation().id()).isEqualTo(naive(peer, elements, forwarded));
  }

  @Provide
  Arbitrary<String> peers() {
    return Arbitraries.of("10.0.0.1", "10.200.3.4", "2001:db8:ffff::1", "198.51.100.1", "2001:db8:1::1");
  }

  @Provide
  Arbitrary<Hop> hops() {
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
    Arbitrary<String> trusted4 = Combinators.combine(octet, octet, octet).as((a, b, c) -> "10." + a + "." + b + "." + c);
    Arbitrary<String> other4 = Combinators.combine(octet, octet).as((a, b) -> "198.51." + a + "." + b);
    Arbitrary<String> trusted6 = Arbitraries.integers().between(0, 0xffff).map(x -> "2001:db8:ffff::" + Integer.toHexString(x));
    Arbitrary<String> other6 = Arbitraries.integers().between(0, 0xffff).map(x -> "2001:db8:" + Integer.toHexString(x) + "::9");
    Arbitrary<Hop> v4 = Combinators.combine(Arbitraries.oneOf(trusted4, other4), Arbitraries.of("", ":8080"),
        Arbitraries.of("", " ", "\t")).as((ip, port, pad) -> new Hop(pad + ip + port + pad,
            port.isEmpty() ? pad + "for=" + ip : "for=\"" + ip + port + "\";proto=https"));
    Arbitrary<Hop> v6 = Combinators.combine(Arbitraries.oneOf(trusted6, other6), Arbitraries.of(true, false))
        .as((ip, bracket) -> new Hop(bracket ? "[" + ip + "]:443" : ip, "for=\"[" + ip + "]" + (bracket ? ":443" : "") + "\""));
    Arbitrary<Hop> mapped = trusted4.map(ip -> new Hop("::ffff:" + ip, "For=\"[::ffff:" + ip + "]\""));
    Arbitrary<Hop> garbage = Arbitraries.of(new Hop("unknown", "for=unknown"), new Hop("_hidden", "for=_hidden"),
        new Hop("010.1.1.1", "for=010.1.1.1"), new Hop("host.example", "proto=https"), new Hop("1.2.3", "for=\"1.2.3\""));
    Arbitrary<Hop> empty = Arbitraries.of(new Hop("", ""), new Hop(" ", " "));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, v4), net.jqwik.api.Tuple.of(3, v6), net.jqwik.api.Tuple.of(1, mapped),
        net.jqwik.api.Tuple.of(1, garbage), net.jqwik.api.Tuple.of(1, empty));
  }
}
