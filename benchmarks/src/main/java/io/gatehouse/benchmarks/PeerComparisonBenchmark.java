package io.gatehouse.benchmarks;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.util.NetMask;
import org.eclipse.jetty.util.InetAddressSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The same decision — is this client address in one of 10,000 networks? — made the way the servlet
 * world's peers make it, in one run:
 * <ul>
 *   <li>Gatehouse: parse the address, one lookup in an {@link IntervalIndex};
 *   <li>Tomcat's {@code RemoteCIDRFilter}: {@code InetAddress.getByName} on the literal, then each
 *       {@code NetMask} in turn until one matches (its {@code isAllowed});
 *   <li>Jetty's {@code InetAccessHandler}: its address set, an {@code InetAddressSet} of patterns tested one
 *       by one (Jetty 12.1 moved {@code InetAccessSet}'s matching there);
 *   <li>Spring Security: a list of {@code IpAddressMatcher}s, each asked {@code matches(address)}.
 * </ul>
 * Every one starts from the address as a string, as {@code getRemoteAddr()} gives it. Probes are half
 * inside a network and half anywhere.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PeerComparisonBenchmark
 * </pre>
 *
 * <p>Last figures, 2026-11-25, on a 2-core AMD EPYC VM, JMH 1.37, Tomcat 10.1.49 (tomcat-embed-core),
 * Jetty 12.1.14, Spring Security 6.5.7, nothing else running:
 * <pre>
 * openjdk version "17.0.15" 2025-04-15
 * OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
 * OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
 * </pre>
 * Average time per decision over 10,000 networks, ± the 99.9% interval, and how many times slower
 * than Gatehouse:
 * <pre>
 * Gatehouse (IntervalIndex)           42.6 ±      1.2 ns
 * Tomcat RemoteCIDRFilter         45,481.5 ± 16,300.8 ns     1,067 x
 * Jetty InetAccessHandler set     50,183.4 ±  5,621.1 ns     1,177 x
 * Spring IpAddressMatcher list   992,123.7 ± 46,037.5 ns    23,275 x
 * </pre>
 * The target of at least 100 times faster than the linear peers holds by an order of magnitude. The
 * peers test the networks one by one, so their cost grows with the list; Spring's matcher also parses
 * the address again for every network.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PeerComparisonBenchmark {

  @Param({"10000"})
  public int networks;

  private String[] probes;
  private int next;
  private IntervalIndex<Boolean> gatehouse;
  private List<NetMask> tomcat;
  private InetAddressSet jetty;
  private List<IpAddressMatcher> spring;

  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(20261125L);
    List<String> cidrs = new ArrayList<>();
    IntervalIndex.Builder<Boolean> b = IntervalIndex.builder();
    for (int i = 0; i < networks; i++) {
      int prefix = 16 + r.nextInt(17);
      int mask = prefix == 32 ? -1 : ~((1 << (32 - prefix)) - 1);
      String cidr = FullPolicy.ip(r.nextInt() & mask) + "/" + prefix;
      cidrs.add(cidr);
      b.add(Cidr.parse(cidr), Boolean.TRUE);
    }
    gatehouse = b.build();
    tomcat = new ArrayList<>();
    jetty = new InetAddressSet();
    spring = new ArrayList<>();
    for (String cidr : cidrs) {
      tomcat.add(new NetMask(cidr));
      jetty.add(cidr);
      spring.add(new IpAddressMatcher(cidr));
    }
    probes = new String[1024];
    for (int i = 0; i < probes.length; i++) {
      if (i % 2 == 0) {
        Cidr c = Cidr.parse(cidrs.get(r.nextInt(cidrs.size())));
        probes[i] = FullPolicy.ip((int) c.network().lo() + (c.isHost() ? 0 : r.nextInt(1 << (32 - c.prefixLength()))));
      } else {
        probes[i] = FullPolicy.ip(r.nextInt());
      }
    }
    // All four must agree, or the comparison is of different questions.
    for (String p : probes) {
      boolean g = gatehouseMatches(p);
      if (g != tomcatMatches(p) || g != jettyMatches(p) || g != springMatches(p)) {
        throw new IllegalStateException("the matchers disagree on " + p);
      }
    }
  }

  private String probe() {
    return probes[next++ & (probes.length - 1)];
  }

  private boolean gatehouseMatches(String address) {
    IpAddress ip = IpAddress.tryParse(address);
    return ip != null && gatehouse.get(ip) != null;
  }

  private boolean tomcatMatches(String address) {
    try {
      InetAddress addr = InetAddress.getByName(address);
      for (NetMask nm : tomcat) {
        if (nm.matches(addr)) {
          return true;
        }
      }
      return false;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private boolean jettyMatches(String address) {
    try {
      return jetty.test(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private boolean springMatches(String address) {
    for (IpAddressMatcher m : spring) {
      if (m.matches(address)) {
        return true;
      }
    }
    return false;
  }

  @Benchmark
  public boolean gatehouse() {
    return gatehouseMatches(probe());
  }

  @Benchmark
  public boolean tomcatRemoteCidrFilter() {
    return tomcatMatches(probe());
  }

  @Benchmark
  public boolean jettyInetAccessHandler() {
    return jettyMatches(probe());
  }

  @Benchmark
  public boolean springIpAddressMatchers() {
    return springMatches(probe());
  }
}
