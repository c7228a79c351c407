package io.gatehouse.core.bot;

import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.util.List;

/**
 * The two DNS questions crawler verification asks. Implementations must tell "no such record" apart
 * from "could not find out", because only the first can prove a crawler claim false.
 *
 * <p>Implementations must be thread-safe: verifications run concurrently.
 */
public interface DnsResolver {

  /**
   * The PTR names of an address, as DNS returns them (a trailing dot is allowed).
   *
   * @return the names; empty when DNS answers that the address has none
   * @throws Exception when the question could not be answered (timeout, server failure, no network)
   */
  List<String> reverse(IpAddress address) throws Exception;

  /**
   * The IPv4 and IPv6 addresses of a name.
   *
   * @return the addresses; empty when DNS answers that the name does not exist or has none
   * @throws Exception when the question could not be answered
   */
  List<IpAddress> forward(String name) throws Exception;

  /**
   * A resolver over the JDK's DNS client, asking the system's configured name servers with the given
   * timeout per question. Unlike {@code InetAddress.getCanonicalHostName()}, which returns the address
   * itself both when there is no PTR record and when DNS is down, it reports the two differently.
   */
  static DnsResolver system(Duration timeout) {
    return new JndiDnsResolver("dns:", timeout);
  }
}
