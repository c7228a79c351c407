package io.gatehouse.core.policy;

import io.gatehouse.core.bot.BrowserIntegrityCheck;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import java.time.Duration;
import java.util.Map;

/**
 * The Browser Integrity Check and crawler verification part of a policy
 * ({@code gatehouse.browser-integrity-check*}, {@code gatehouse.bots.*}).
 *
 * @param browserIntegrityCheck {@code gatehouse.browser-integrity-check}: whether the check runs unless a
 *     configuration rule says otherwise
 * @param check the heuristics, with their options
 * @param verifyDns whether claimed crawlers are verified by forward-confirmed reverse DNS
 * @param dnsTimeout the deadline for one verification
 * @param ranges published address ranges by crawler name, loaded from the configured files
 * @param verifier the verifier for these settings; kept across reloads that do not change them
 */
public record BotSettings(boolean browserIntegrityCheck, BrowserIntegrityCheck check, boolean verifyDns, Duration dnsTimeout,
    Map<String, IntervalIndex<Cidr>> ranges, CrawlerVerifier verifier) {

  public BotSettings {
    ranges = Map.copyOf(ranges);
  }

  /** Whether a verifier made for {@code other} would be the same as this one's. */
  boolean sameVerification(boolean otherVerifyDns, Duration otherTimeout, Map<String, IntervalIndex<Cidr>> otherRanges) {
    if (verifyDns != otherVerifyDns || !dnsTimeout.equals(otherTimeout) || ranges.size() != otherRanges.size()) {
      return false;
    }
    for (Map.Entry<String, IntervalIndex<Cidr>> e : ranges.entrySet()) {
      // Unchanged files come back from the file cache as the very same index.
      if (otherRanges.get(e.getKey()) != e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
