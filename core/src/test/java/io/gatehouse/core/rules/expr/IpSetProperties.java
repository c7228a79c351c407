package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** {@code ip.src in {...}} against a naive check of every element, for random overlapping sets. */
class IpSetProperties {

  /** One set element: a network, or a range when {@code last} is set. */
  record Element(Cidr network, IpAddress first, IpAddress last) {
    String text() {
      return network != null ? network.toString() : first + ".." + last;
    }

    boolean contains(IpAddress a) {
      if (network != null) {
        return network.contains(a);
      }
      return a.isV4() == first.isV4() && first.compareTo(a) <= 0 && a.compareTo(last) <= 0;
    }
  }

  @Property(tries = 400)
  void membershipAgreesWithANaiveScan(@ForAll("elements") @Size(min = 1, max = 30) List<Element> elements,
      @ForAll("probes") @Size(min = 1, max = 40) List<IpAddress> probes) throws ExpressionException {
    List<String> texts = new ArrayList<>();
    for (Element e : elements) {
      texts.add(e.text());
    }
    Expression in = Expression.compile("ip.src in {" + String.join(" ", texts) + "}", Expression.Lists.NONE);
    List<IpAddress> all = new ArrayList<>(probes);
    for (Element e : elements) {
      // Probe the edges, where an off-by-one would show.
      IpAddress lo = e.network != null ? e.network.first() : e.first;
      IpAddress hi = e.network != null ? e.network.last() : e.last;
      all.add(lo);
      all.add(hi);
      all.add(step(lo, -1));
      all.add(step(hi, 1));
    }
    for (IpAddress probe : all) {
      boolean naive = elements.stream().anyMatch(e -> e.contains(probe));
      assertThat(in.matches(TestRequest.of().set("ip", probe.toString())))
          .as("%s in {%s}", probe, String.join(" ", texts)).isEqualTo(naive);
    }
  }

  /** The neighbouring address in the same family (wrapping at the ends, which is harmless here). */
  private static IpAddress step(IpAddress a, int delta) {
    if (a.isV4()) {
      return IpAddress.ofV4(a.v4Bits() + delta);
    }
    long lo = a.lo() + delta;
    long hi = a.hi();
    if (delta > 0 && lo == 0) {
      hi++;
    } else if (delta < 0 && lo == -1L) {
      hi--;
    }
    IpAddress next = IpAddress.ofV6(hi, lo);
    return next.isV4() ? a : next;
  }

  @Provide
  Arbitrary<List<Element>> elements() {
    // A small corner of each family, so that elements overlap often.
    Arbitrary<IpAddress> v4 = Arbitraries.integers().between(0, 1023).map(i -> IpAddress.ofV4(0xc0000200 | i));
    Arbitrary<IpAddress> v6 = Arbitraries.integers().between(0, 1023)
        .map(i -> IpAddress.ofV6(0x20010db800000000L, i));
    Arbitrary<Element> v4Networks = Combinators.combine(v4, Arbitraries.integers().between(22, 32))
        .as((a, p) -> new Element(Cidr.covering(a, p), null, null));
    Arbitrary<Element> v6Networks = Combinators.combine(v6, Arbitraries.integers().between(118, 128))
        .as((a, p) -> new Element(Cidr.covering(a, p), null, null));
    Arbitrary<Element> v4Ranges = Combinators.combine(v4, v4)
        .as((a, b) -> a.compareTo(b) <= 0 ? new Element(null, a, b) : new Element(null, b, a));
    Arbitrary<Element> v6Ranges = Combinators.combine(v6, v6)
        .as((a, b) -> a.compareTo(b) <= 0 ? new Element(null, a, b) : new Element(null, b, a));
    return Arbitraries.oneOf(v4Networks, v6Networks, v4Ranges, v6Ranges).list();
  }

  @Provide
  Arbitrary<List<IpAddress>> probes() {
    Arbitrary<IpAddress> v4 = Arbitraries.integers().between(0, 1100).map(i -> IpAddress.ofV4(0xc0000200 + i - 30));
    Arbitrary<IpAddress> v6 = Arbitraries.integers().between(0, 1100)
        .map(i -> IpAddress.ofV6(0x20010db800000000L, i));
    Arbitrary<IpAddress> mapped = Arbitraries.integers().between(0, 1023)
        .map(i -> IpAddress.parse("::ffff:" + IpAddress.ofV4(0xc0000200 | i)));
    return Arbitraries.oneOf(v4, v6, mapped).list();
  }
}
