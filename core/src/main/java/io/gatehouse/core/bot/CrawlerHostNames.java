package io.gatehouse.core.bot;

import java.util.List;
import java.util.Locale;

/**
 * Which reverse DNS names belong to which crawler. A PTR name counts only when it is a well-formed host
 * name equal to one of the operator's documented domains or under one by whole labels, because the owner
 * of an address writes its PTR record and any zone it owns: {@code googlebot.com.evil.example} and
 * {@code evilgooglebot.com} are not {@code googlebot.com}.
 *
 * <p>Stateless and thread-safe.
 */
final class CrawlerHostNames {

  private CrawlerHostNames() {}

  /** Whether {@code name}, as {@link #normalize} returns it, is one of {@code crawler}'s. */
  static boolean belongsTo(String name, Crawler crawler) {
    return underDomains(name, crawler.reverseDnsDomains());
  }

  /** A PTR name in lower case without its trailing dot, or {@code null} when it is not a host name. */
  static String normalize(String name) {
    if (name == null) {
      return null;
    }
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    n = n.toLowerCase(Locale.ROOT);
    return isHostName(n) ? n : null;
  }

  /** Whether {@code name} is one of {@code domains} or ends in {@code .} and one of them. */
  static boolean underDomains(String name, List<String> domains) {
    for (String domain : domains) {
      if (name.equals(domain)
          || (name.length() > domain.length() + 1 && name.endsWith(domain)
              && name.charAt(name.length() - domain.length() - 1) == '.')) {
        return true;
      }
    }
    return false;
  }

  /** Letters, digits, hyphens and underscores in dot-separated labels of 1-63 characters, 253 at most. */
  static boolean isHostName(String name) {
    if (name == null || name.isEmpty() || name.length() > 253) {
      return false;
    }
    int label = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (label == 0) {
          return false;
        }
        label = 0;
      } else if (PhraseMatcher.isAlnum(c) || c == '-' || c == '_') {
        if (++label > 63) {
          return false;
        }
      } else {
        return false;
      }
    }
    return label > 0;
  }
}
