package io.gatehouse.core.bot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which known crawler a User-Agent says it is, from the words that claim each crawler
 * ({@link Crawler#userAgentTokens()}), matched as whole words. Never consults DNS.
 *
 * <p>A name after {@code like}, {@code with}, {@code fake-} and similar words is a comparison, not a
 * claim: feed readers such as Feedly write {@code like FeedFetcher-Google}, and treating that as a claim
 * would refuse them as impostors.
 *
 * <p>Thread-safe.
 */
final class CrawlerClaims {

  private static final List<String> COMPARISON_WORDS = List.of("like", "with", "fake", "not", "unlike", "than", "as");

  /** Stands for "no claim" in the cache, which cannot hold {@code null}. */
  private static final Crawler NONE = new Crawler("none", List.of("none"), List.of());

  private final PhraseMatcher<Crawler> tokens;
  // Few distinct User-Agents reach a site; remember each one's claim. A flood of random ones only churns
  // this cache, bounded in entries and bytes.
  private final Cache<String, Crawler> byAgent = Caffeine.newBuilder().maximumWeight(UserAgents.CACHE_BYTES)
      .weigher((String ua, Crawler c) -> UserAgents.cacheWeight(ua)).executor(Runnable::run).build();
  private final Function<String, Crawler> scanner = ua -> {
    Crawler c = scan(ua);
    return c == null ? NONE : c;
  };

  CrawlerClaims(List<Crawler> crawlers) {
    PhraseMatcher.Builder<Crawler> matcher = PhraseMatcher.builder(ScannerSignatures.MAX_SCAN);
    for (Crawler crawler : crawlers) {
      for (String token : crawler.userAgentTokens()) {
        matcher.add(token, crawler);
      }
    }
    this.tokens = matcher.build();
  }

  /** The known crawler {@code userAgent} claims to be, or {@code null} (for {@code null} too). */
  Crawler claimed(String userAgent) {
    if (userAgent == null) {
      return null;
    }
    if (userAgent.length() > UserAgents.MAX_LENGTH) {
      return scan(userAgent); // not worth a cache entry
    }
    Crawler c = byAgent.get(userAgent, scanner);
    return c == NONE ? null : c;
  }

  /** The User-Agents whose claim is remembered now, and their weight in bytes (for tests). */
  long[] cached() {
    byAgent.cleanUp();
    return new long[] {byAgent.estimatedSize(),
        byAgent.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L)};
  }

  private Crawler scan(String userAgent) {
    Crawler[] found = new Crawler[1];
    tokens.scan(userAgent, (text, match) -> {
      if (comparison(text, match.start())) {
        return true;
      }
      found[0] = match.value();
      return false;
    });
    return found[0];
  }

  /** Whether the word before {@code start} (across spaces and hyphens) makes the name a comparison. */
  private static boolean comparison(CharSequence text, int start) {
    int k = start - 1;
    while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '-')) {
      k--;
    }
    int end = k + 1;
    while (k >= 0 && PhraseMatcher.isLetter(text.charAt(k)) && end - k <= 8) {
      k--;
    }
    if (k >= 0 && PhraseMatcher.isAlnum(text.charAt(k))) {
      return false;
    }
    String word = text.subSequence(k + 1, end).toString().toLowerCase(Locale.ROOT);
    return COMPARISON_WORDS.contains(word);
  }
}
