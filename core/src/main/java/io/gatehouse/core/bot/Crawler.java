package io.gatehouse.core.bot;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A crawler whose operator documents how to verify it.
 *
 * <p>Immutable and thread-safe; {@link KnownCrawlers#defaults()} lists the built-in ones.
 *
 * @param name how events and configuration name it ({@code Googlebot})
 * @param userAgentTokens words whose presence in a User-Agent claims this crawler, matched as whole words
 *     ignoring case ({@code Googlebot} also covers {@code Googlebot-Image/1.0})
 * @param reverseDnsDomains the domains the operator documents for its crawlers' reverse DNS names; a
 *     name must be one of them or end in {@code .} followed by one. Empty when the operator publishes
 *     address ranges only, so the crawler can be verified only by a configured ranges file.
 */
record Crawler(String name, List<String> userAgentTokens, List<String> reverseDnsDomains) {

  public Crawler {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a crawler has a name");
    }
    userAgentTokens = List.copyOf(userAgentTokens);
    if (userAgentTokens.isEmpty()) {
      throw new IllegalArgumentException(name + ": a crawler has at least one User-Agent token");
    }
    reverseDnsDomains = reverseDnsDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    for (String domain : reverseDnsDomains) {
      if (!CrawlerHostNames.isHostName(domain) || domain.indexOf('.') < 0) {
        throw new IllegalArgumentException(name + ": '" + domain + "' is not a domain name");
      }
    }
  }

  /** Whether the operator documents reverse DNS for this crawler. */
  public boolean verifiableByDns() {
    return !reverseDnsDomains.isEmpty();
  }
}
