package io.gatehouse.core.bot;

import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * {@link CrawlerVerifier.DnsResolver} over the JDK's own DNS client (JNDI, module {@code jdk.naming.dns}), which asks for
 * PTR, A and AAAA records directly. "No such name" comes back as {@link NameNotFoundException} and "no
 * such record" as an answer without the record, both an empty list here; timeouts, server failures and a
 * missing resolver configuration are exceptions. {@code InetAddress} cannot make that distinction, and
 * its timeouts are the operating system's rather than ours.
 *
 * <p>Each question uses its own short-lived context, so instances are thread-safe.
 */
final class JndiDnsResolver implements CrawlerVerifier.DnsResolver {

  private static final String FACTORY = "com.sun.jndi.dns.DnsContextFactory";

  private final Hashtable<String, String> environment = new Hashtable<>();

  /**
   * @param providerUrl {@code dns:} for the system's name servers, {@code dns://host:port} for one server
   * @param timeout how long to wait for each server's answer, one try each
   */
  JndiDnsResolver(String providerUrl, Duration timeout) {
    Objects.requireNonNull(providerUrl, "providerUrl");
    long millis = Math.max(1, timeout.toMillis());
    environment.put(Context.INITIAL_CONTEXT_FACTORY, FACTORY);
    environment.put(Context.PROVIDER_URL, providerUrl);
    environment.put("com.sun.jndi.dns.timeout.initial", Long.toString(millis));
    environment.put("com.sun.jndi.dns.timeout.retries", "1");
  }

  @Override
  public List<String> reverse(IpAddress address) throws NamingException {
    return query(reverseName(address), "PTR");
  }

  @Override
  public List<IpAddress> forward(String name) throws NamingException {
    if (!CrawlerHostNames.isHostName(name)) {
      throw new IllegalArgumentException("not a host name: " + UserAgents.printable(name));
    }
    List<IpAddress> out = new ArrayList<>();
    for (String type : new String[] {"A", "AAAA"}) {
      List<String> values;
      try {
        values = query(name, type);
      } catch (NameNotFoundException e) {
        return List.of(); // the name does not exist: no point asking for its other records
      }
      for (String value : values) {
        IpAddress parsed = IpAddress.tryParse(value.strip());
        if (parsed != null) {
          out.add(parsed);
        }
      }
    }
    return out;
  }

  /** The record values, empty when the name exists without them; NXDOMAIN propagates for {@link #forward}. */
  private List<String> query(String name, String type) throws NamingException {
    DirContext context = new InitialDirContext(environment);
    try {
      Attributes attributes = context.getAttributes(name, new String[] {type});
      Attribute attribute = attributes.get(type);
      if (attribute == null) {
        return List.of();
      }
      List<String> values = new ArrayList<>(attribute.size());
      NamingEnumeration<?> all = attribute.getAll();
      while (all.hasMore()) {
        values.add(String.valueOf(all.next()));
      }
      return values;
    } catch (NameNotFoundException e) {
      if ("PTR".equals(type)) {
        return List.of();
      }
      throw e;
    } finally {
      context.close();
    }
  }

  /** {@code 4.3.2.1.in-addr.arpa} for 1.2.3.4; the 32 reversed nibbles under {@code ip6.arpa} for IPv6. */
  static String reverseName(IpAddress address) {
    byte[] bytes = address.toBytes();
    StringBuilder sb = new StringBuilder(address.isV4() ? 29 : 73);
    if (address.isV4()) {
      for (int i = 3; i >= 0; i--) {
        sb.append(bytes[i] & 0xff).append('.');
      }
      return sb.append("in-addr.arpa").toString();
    }
    for (int i = 15; i >= 0; i--) {
      sb.append(Character.forDigit(bytes[i] & 0xf, 16)).append('.');
      sb.append(Character.forDigit((bytes[i] >>> 4) & 0xf, 16)).append('.');
    }
    return sb.append("ip6.arpa").toString();
  }
}
