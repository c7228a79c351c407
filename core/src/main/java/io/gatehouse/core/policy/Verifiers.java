package io.gatehouse.core.policy;

import io.gatehouse.core.bot.BrowserIntegrityCheck;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.policy.Policy.BotSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps the crawler verifier across reloads: a reload that leaves the verification settings as they were
 * keeps the verifier, with its cache of verified and impostor addresses; one that changes them gets a
 * new verifier, and the old one is closed once the new policy is in force. Thread-safe; reloads are
 * serialised by the engine.
 */
final class Verifiers {

  /** Used when DNS verification is off: no claim is ever confirmed or disproved by DNS. */
  private static final CrawlerVerifier.DnsResolver NO_DNS = new CrawlerVerifier.DnsResolver() {
    @Override
    public List<String> reverse(IpAddress ip) throws Exception {
      throw new IOException("DNS verification is off");
    }

    @Override
    public List<IpAddress> forward(String name) throws Exception {
      throw new IOException("DNS verification is off");
    }
  };

  private final LongSupplier ticker;
  private final CrawlerVerifier.DnsResolver resolver;
  private volatile BotSettings current;

  /** @param resolver the DNS resolver, or {@code null} for the system's */
  Verifiers(LongSupplier ticker, CrawlerVerifier.DnsResolver resolver) {
    this.ticker = ticker;
    this.resolver = resolver;
  }

  BotSettings prepare(boolean browserIntegrityCheck, BrowserIntegrityCheck check, boolean verifyDns, Duration timeout,
      Map<String, IntervalIndex<Cidr>> ranges) {
    BotSettings c = current;
    if (c != null && c.sameVerification(verifyDns, timeout, ranges)) {
      return new BotSettings(browserIntegrityCheck, check, verifyDns, timeout, ranges, c.verifier());
    }
    CrawlerVerifier.Builder b = CrawlerVerifier.builder().timeout(timeout).ticker(ticker)
        .resolver(!verifyDns ? NO_DNS : resolver != null ? resolver : CrawlerVerifier.DnsResolver.system(timeout));
    ranges.forEach(b::publishedRanges);
    return new BotSettings(browserIntegrityCheck, check, verifyDns, timeout, ranges, b.build());
  }

  /** Puts a prepared verifier in force, closing the one it replaces. */
  void commit(BotSettings settings) {
    BotSettings old = current;
    current = settings;
    if (old != null && old.verifier() != settings.verifier()) {
      old.verifier().close();
    }
  }

  void close() {
    BotSettings c = current;
    if (c != null) {
      c.verifier().close();
    }
  }
}
