package io.gatehouse.core.bot;

import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS resolver answering from tables. Unknown addresses and names have no records (an empty answer,
 * not a failure). Lookups can be made to fail, or to wait at a gate until a test opens it.
 */
final class FakeDns implements CrawlerVerifier.DnsResolver {

  private final Map<IpAddress, List<String>> ptr = new ConcurrentHashMap<>();
  private final Map<String, List<IpAddress>> addresses = new ConcurrentHashMap<>();
  private final Map<String, Exception> failures = new ConcurrentHashMap<>();
  final AtomicInteger reverseCalls = new AtomicInteger();
  final AtomicInteger forwardCalls = new AtomicInteger();
  private volatile CountDownLatch gate;

  /** {@code ip} has these PTR names. */
  FakeDns ptr(String ip, String... names) {
    ptr.put(IpAddress.parse(ip), List.of(names));
    return this;
  }

  /** {@code name} has these addresses. */
  FakeDns a(String name, String... ips) {
    List<IpAddress> list = new ArrayList<>();
    Arrays.stream(ips).map(IpAddress::parse).forEach(list::add);
    addresses.put(name, list);
    return this;
  }

  /** Questions about this address literal or name throw {@code e}. */
  FakeDns fail(String ipOrName, Exception e) {
    failures.put(ipOrName, e);
    return this;
  }

  /** Every lookup waits until {@code latch} opens (or the thread is interrupted). */
  FakeDns gate(CountDownLatch latch) {
    this.gate = latch;
    return this;
  }

  @Override
  public List<String> reverse(IpAddress address) throws Exception {
    reverseCalls.incrementAndGet();
    pass();
    Exception e = failures.get(address.toString());
    if (e != null) {
      throw e;
    }
    return ptr.getOrDefault(address, List.of());
  }

  @Override
  public List<IpAddress> forward(String name) throws Exception {
    forwardCalls.incrementAndGet();
    pass();
    Exception e = failures.get(name);
    if (e != null) {
      throw e;
    }
    return addresses.getOrDefault(name.endsWith(".") ? name.substring(0, name.length() - 1) : name, List.of());
  }

  private void pass() throws InterruptedException {
    CountDownLatch g = gate;
    if (g != null) {
      g.await();
    }
  }
}
