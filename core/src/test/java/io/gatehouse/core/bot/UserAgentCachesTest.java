package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the integrity check and the crawler claims remember of the User-Agents they have seen is bounded
 * in bytes as well as in entries, so that a flood of long, ever different User-Agents cannot grow it.
 */
class UserAgentCachesTest {

  /** User-Agent {@code i}: {@code length} characters, outside Latin-1 when {@code wide}. */
  private static String agent(int i, int length, boolean wide) {
    String start = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 " + i + (wide ? "\u0416" : "") + " ";
    return (start + "x".repeat(length)).substring(0, length);
  }

  @ParameterizedTest(name = "{0} characters, wide: {1}")
  @CsvSource({"10, false, 256", "120, false, 320", "120, true, 440", "1024, false, 1224", "1024, true, 2248"})
  void anEntryWeighsItsStringAsJavaHoldsItAndTheCachesShare(int length, boolean wide, int weight) {
    assertThat(UserAgents.cacheWeight(agent(7, length, wide))).isEqualTo(weight);
  }

  @Test
  void theIntegrityCheckRemembersLongUserAgentsOnlyUpToItsBytes() {
    BrowserIntegrityCheck check = BrowserIntegrityCheck.defaults();
    for (int i = 0; i < 20_000; i++) {
      check.check(RequestFacts.builder().peer("192.0.2.1").method("GET").host("shop.example").path("/")
          .header("User-Agent", agent(i, UserAgents.MAX_LENGTH, i % 2 == 0)).build(),
          CrawlerVerifier.Status.NOT_A_CRAWLER);
    }
    long[] cached = check.cached();
    assertThat(cached[1]).isLessThanOrEqualTo(UserAgents.CACHE_BYTES);
    assertThat(cached[0]).isBetween(400L, 900L);
  }

  @Test
  void theIntegrityCheckRemembersShortUserAgentsOnlyUpToItsCount() {
    BrowserIntegrityCheck check = BrowserIntegrityCheck.defaults();
    for (int i = 0; i < 20_000; i++) {
      check.check(RequestFacts.builder().peer("192.0.2.1").method("GET").host("shop.example").path("/")
          .header("User-Agent", agent(i, 60, false)).build(), CrawlerVerifier.Status.NOT_A_CRAWLER);
    }
    assertThat(check.cached()[0]).isLessThanOrEqualTo(UserAgents.CACHE_ENTRIES);
  }

  @Test
  void theCrawlerClaimsRememberLongUserAgentsOnlyUpToTheirBytes() {
    CrawlerClaims claims = new CrawlerClaims(KnownCrawlers.defaults());
    for (int i = 0; i < 20_000; i++) {
      claims.claimed(agent(i, UserAgents.MAX_LENGTH, i % 2 == 1));
    }
    long[] cached = claims.cached();
    assertThat(cached[1]).isLessThanOrEqualTo(UserAgents.CACHE_BYTES);
    assertThat(cached[0]).isBetween(400L, 900L);
  }
}
