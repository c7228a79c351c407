package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The crawler-user-agents.json examples of the crawlers Gatehouse verifies are recognised as claims. */
class CrawlerClaimsCorpusTest {

  /** Entries of crawler-user-agents.json (by pattern) and the crawler their examples claim to be. */
  private static final Map<String, String> EXPECTED = Map.ofEntries(
      Map.entry("Googlebot\\/", "Googlebot"),
      Map.entry("Googlebot-Mobile", "Googlebot"),
      Map.entry("Googlebot-Image", "Googlebot"),
      Map.entry("Googlebot-News", "Googlebot"),
      Map.entry("Googlebot-Video", "Googlebot"),
      Map.entry("Google-InspectionTool", "Googlebot"),
      Map.entry("Storebot-Google", "Googlebot"),
      Map.entry("GoogleOther", "Googlebot"),
      Map.entry("Google-CloudVertexBot", "Googlebot"),
      Map.entry("AdsBot-Google([^-]|$)", "Google special-case crawler"),
      Map.entry("AdsBot-Google-Mobile", "Google special-case crawler"),
      Map.entry("Mediapartners-Google", "Google special-case crawler"),
      Map.entry("APIs-Google", "Google special-case crawler"),
      Map.entry("Google-Safety", "Google special-case crawler"),
      Map.entry("Feedfetcher-Google", "Google user-triggered fetcher"),
      Map.entry("Google-Site-Verification", "Google user-triggered fetcher"),
      Map.entry("Google-Read-Aloud", "Google user-triggered fetcher"),
      Map.entry("GoogleProducer", "Google user-triggered fetcher"),
      Map.entry("bingbot", "Bingbot"),
      Map.entry("msnbot", "Bingbot"),
      Map.entry("BingPreview\\/", "Bingbot"),
      Map.entry("Applebot", "Applebot"),
      Map.entry("DuckDuckBot", "DuckDuckBot"),
      Map.entry("DuckAssistBot", "DuckDuckBot"),
      Map.entry("yandex\\.com\\/bots", "YandexBot"),
      Map.entry("YandexRenderResourcesBot\\/", "YandexBot"),
      Map.entry("Baiduspider", "Baiduspider"),
      Map.entry("Slurp", "Yahoo Slurp"),
      Map.entry("PetalBot", "PetalBot"),
      Map.entry("AspiegelBot", "PetalBot"),
      Map.entry("Amazonbot", "Amazonbot"),
      Map.entry("Ahrefs(Bot|SiteAudit)", "AhrefsBot"),
      Map.entry("SeznamBot", "SeznamBot"),
      Map.entry("GPTBot", "OpenAI"),
      Map.entry("OAI-SearchBot", "OpenAI"),
      Map.entry("ChatGPT-User", "OpenAI"));

  private static CrawlerVerifier verifier;

  @BeforeAll
  static void open() {
    verifier = CrawlerVerifier.builder().resolver(new FakeDns()).build();
  }

  @AfterAll
  static void close() {
    verifier.close();
  }

  @Test
  void everyExampleOfAVerifiedCrawlerIsRecognised() {
    List<Corpora.CrawlerInstance> instances = Corpora.crawlerInstances();
    List<String> wrong = new ArrayList<>();
    for (Corpora.CrawlerInstance i : instances) {
      String want = EXPECTED.get(i.pattern());
      Crawler got = verifier.claimedCrawler(i.userAgent());
      if (want != null && (got == null || !got.name().equals(want))) {
        wrong.add(i.pattern() + " | " + i.userAgent() + " -> " + (got == null ? "no claim" : got.name()));
      }
    }
    assertThat(EXPECTED.keySet()).allMatch(p -> instances.stream().anyMatch(i -> i.pattern().equals(p)));
    assertThat(wrong).isEmpty();
  }

  /**
   * Other entries' examples claim a verified crawler only when they carry its name outright. Feed readers
   * that say "like FeedFetcher-Google" or "like Googlebot" compare themselves and are not claims.
   */
  @Test
  void otherCrawlersClaimOnlyWhenTheyNameTheCrawlerOutright() {
    List<String> claims = new ArrayList<>();
    for (Corpora.CrawlerInstance i : Corpora.crawlerInstances()) {
      if (EXPECTED.containsKey(i.pattern())) {
        continue;
      }
      Crawler got = verifier.claimedCrawler(i.userAgent());
      if (got != null) {
        claims.add(i.pattern() + " | " + i.userAgent() + " -> " + got.name());
      }
    }
    // Google Scholar's library-links crawler is a Google crawler; Gwene writes a bare "Googlebot".
    assertThat(claims).containsExactlyInAnyOrder(
        "Gwene | Gwene/1.0 (The gwene.org rss-to-news gateway) Googlebot -> Googlebot",
        "Googlebot-IA\\/ | Googlebot-IA/2.1 -> Googlebot");
    for (String ua : List.of("Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)",
        "FreshRSS/1.11.2 (Linux; https://freshrss.org) like Googlebot",
        "SentiBot www.sentibot.eu (compatible with Googlebot)",
        "Mozilla/5.0 (compatible;acapbot/0.1;treat like Googlebot)",
        "Mozilla/5.0 AppleWebKit (compatible; s4a-probe-bot/1.0; Fake-Googlebot; +https://www.seo4ajax.com/webscraper)")) {
      assertThat(verifier.claimedCrawler(ua)).as(ua).isNull();
    }
  }
}
