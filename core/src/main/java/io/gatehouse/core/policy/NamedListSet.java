package io.gatehouse.core.policy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.rules.expr.Expression;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The lists of a configuration ({@code gatehouse.list.NAME}), for {@code $name} in rule expressions. A
 * list is written inline ({@code 10.0.0.0/8, 192.0.2.7}) or read from a file ({@code file:PATH}, one item
 * a line, {@code #} comments). Its kind comes from its items: all addresses and networks make an IP list,
 * all AS numbers ({@code 64496} or {@code AS64496}) an AS list, anything else a string list; a prefix
 * {@code ip:}, {@code asn:} or {@code string:} says so outright. An item that looks like an address but
 * is not one is an error rather than a reason to read the whole list as strings.
 *
 * <p>Immutable and thread-safe once built.
 */
final class NamedListSet implements Expression.Lists {

  private record Entry(Kind kind, IntervalIndex<Boolean> ips, Set<Long> asns, Set<String> strings, int size) {}

  private final Map<String, Entry> lists;
  private final Set<String> failed;
  private final Map<String, byte[]> secrets;

  private NamedListSet(Map<String, Entry> lists, Set<String> failed, Map<String, byte[]> secrets) {
    this.lists = Map.copyOf(lists);
    this.failed = Set.copyOf(failed);
    this.secrets = Map.copyOf(secrets);
  }

  public static NamedListSet empty() {
    return new NamedListSet(Map.of(), Set.of(), Map.of());
  }

  @Override
  public byte[] secret(String name) {
    byte[] s = secrets.get(name);
    return s == null ? null : s.clone();
  }

  /**
   * A list named in {@code expression} ({@code $name}) that is defined but could not be built, or
   * {@code null}: its problem is reported already.
   */
  String failedListIn(String expression) {
    for (String name : failed) {
      if (Pattern.compile("\\$" + Pattern.quote(name) + "(?![A-Za-z0-9_-])")
          .matcher(expression).find()) {
        return name;
      }
    }
    return null;
  }

  /** Builds lists from their items; problems name the entry (and, for files, the line). */
  public static final class Builder {
    private final Map<String, Entry> lists = new HashMap<>();
    private final Set<String> failed = new LinkedHashSet<>();
    private final Map<String, byte[]> secrets = new HashMap<>();

    /** Adds the secret {@code gatehouse.hmac.NAME}, for {@code is_timed_hmac_valid_v0("NAME", ...)}. */
    public void secret(String name, byte[] secret) {
      secrets.put(name, secret.clone());
    }

    /** Notes a list that is defined but could not be read: rules naming it are not reported again. */
    public void failed(String name) {
      failed.add(name);
    }

    /**
     * Adds a list. {@code items} are the item texts with where each came from: for an inline list, the
     * entry itself; for a file, its path and line.
     */
    public void add(String name, String declaredKind, List<Item> items, ConfigSource.Entry entry, ConfigException.Collector problems) {
      if (items.isEmpty()) {
        problems.add(entry, "list '" + name + "' is empty");
        failed.add(name);
        return;
      }
      Kind kind = declaredKind == null ? detect(items) : switch (declaredKind) {
        case "ip" -> Kind.IP;
        case "asn" -> Kind.ASN;
        default -> Kind.STRING;
      };
      int before = problems.size();
      IntervalIndex.Builder<Boolean> ips = IntervalIndex.builder();
      Set<Long> asns = new LinkedHashSet<>();
      Set<String> strings = new LinkedHashSet<>();
      for (Item item : items) {
        switch (kind) {
          case IP -> {
            try {
              ips.add(Cidr.parse(item.text()), Boolean.TRUE);
            } catch (IllegalArgumentException e) {
              item.report(problems, entry, "list '" + name + "': " + e.getMessage());
            }
          }
          case ASN -> {
            Long asn = asn(item.text());
            if (asn == null) {
              item.report(problems, entry, "list '" + name + "': '" + item.text() + "' is not an AS number");
            } else {
              asns.add(asn);
            }
          }
          case STRING -> strings.add(item.text());
        }
      }
      if (problems.size() == before) {
        lists.put(name, new Entry(kind, ips.build(), Set.copyOf(asns), Set.copyOf(strings), items.size()));
      } else {
        failed.add(name);
      }
    }

    public NamedListSet build() {
      return new NamedListSet(lists, failed, secrets);
    }
  }

  /**
   * One list item and where it was written.
   *
   * @param text the item
   * @param file the file it came from, or {@code null} when inline
   * @param line its line in that file
   */
  public record Item(String text, Path file, int line) {
    void report(ConfigException.Collector problems, ConfigSource.Entry entry, String message) {
      if (file == null) {
        problems.add(entry, message);
      } else {
        problems.add(file.toString(), line, "", message);
      }
    }
  }

  private static Kind detect(List<Item> items) {
    boolean allAsn = true;
    boolean anyAddressLike = false;
    for (Item i : items) {
      allAsn &= asn(i.text()) != null;
      anyAddressLike |= looksLikeAddress(i.text());
    }
    if (allAsn) {
      return Kind.ASN;
    }
    return anyAddressLike ? Kind.IP : Kind.STRING;
  }

  /** Digits with dots, or hex with colons, with an optional prefix length: meant as an address. */
  private static boolean looksLikeAddress(String s) {
    boolean digitsAndDots = s.matches("[0-9.]+(/[0-9]*)?") && s.indexOf('.') >= 0;
    boolean ipv6 = s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.%\\[\\]]+(/[0-9]*)?");
    return digitsAndDots || ipv6;
  }

  private static Long asn(String s) {
    String digits = s.regionMatches(true, 0, "AS", 0, 2) ? s.substring(2) : s;
    if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    long n = Long.parseLong(digits);
    return n >= 1 && n <= 4_294_967_295L ? n : null;
  }

  @Override
  public Kind kind(String name) {
    Entry e = lists.get(name);
    return e == null ? null : e.kind();
  }

  @Override
  public IntervalIndex<Boolean> ips(String name) {
    Entry e = lists.get(name);
    return e == null || e.ips() == null ? IntervalIndex.empty() : e.ips();
  }

  @Override
  public Set<Long> asns(String name) {
    Entry e = lists.get(name);
    return e == null ? Set.of() : e.asns();
  }

  @Override
  public Set<String> strings(String name) {
    Entry e = lists.get(name);
    return e == null ? Set.of() : e.strings();
  }

  /** The list names with their kinds and sizes, for status. */
  public Map<String, String> describe() {
    Map<String, String> out = new HashMap<>();
    lists.forEach((name, e) -> out.put(name, e.kind().name().toLowerCase(java.util.Locale.ROOT) + ", " + e.size()
        + " items"));
    return out;
  }

  public int size() {
    return lists.size();
  }
}
