package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Named lists for tests: one or more of each kind. */
final class TestLists implements Expression.Lists {

  /**
   * {@code $office_ranges} and {@code $blocked_ips} (IP), {@code $bad_asns} (ASN), {@code $bad_hosts} and
   * {@code $admin_paths} (strings); {@code $cf.open_proxies} (IP), as a user defines it under the name of
   * Cloudflare's managed list; and the secret {@code downloads} for {@code is_timed_hmac_valid_v0()}.
   */
  static final TestLists STANDARD = new TestLists()
      .ips("office_ranges", "192.0.2.0/24", "2001:db8:1::/48")
      .ips("blocked_ips", "198.51.100.7", "203.0.113.0/25", "10.0.0.0/8", "10.1.0.0/16")
      .asns("bad_asns", 64496L, 64511L)
      .strings("bad_hosts", "evil.example", "bad.example")
      .strings("admin_paths", "/admin", "/wp-admin")
      .ips("cf.open_proxies", "192.0.2.128/25");

  @Override
  public byte[] secret(String name) {
    return name.equals("downloads") ? "mysecrettoken".getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
  }

  private final Map<String, Kind> kinds = new HashMap<>();
  private final Map<String, IntervalIndex<Boolean>> ips = new HashMap<>();
  private final Map<String, Set<Long>> asns = new HashMap<>();
  private final Map<String, Set<String>> strings = new HashMap<>();

  TestLists ips(String name, String... networks) {
    IntervalIndex.Builder<Boolean> b = IntervalIndex.builder();
    for (String n : networks) {
      b.add(Cidr.parse(n), Boolean.TRUE);
    }
    kinds.put(name, Kind.IP);
    ips.put(name, b.build());
    return this;
  }

  TestLists asns(String name, Long... numbers) {
    kinds.put(name, Kind.ASN);
    asns.put(name, Set.copyOf(List.of(numbers)));
    return this;
  }

  TestLists strings(String name, String... values) {
    kinds.put(name, Kind.STRING);
    strings.put(name, Set.of(values));
    return this;
  }

  @Override
  public Kind kind(String name) {
    return kinds.get(name);
  }

  @Override
  public IntervalIndex<Boolean> ips(String name) {
    return ips.get(name);
  }

  @Override
  public Set<Long> asns(String name) {
    return asns.get(name);
  }

  @Override
  public Set<String> strings(String name) {
    return strings.get(name);
  }
}
