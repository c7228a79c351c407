package io.gatehouse.core.bot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The crawlers Gatehouse verifies out of the box: only those whose operators document a verification
 * method, either reverse DNS domains (checked by forward-confirmed reverse DNS) or published address
 * ranges in Google's JSON shape (which an operator downloads and configures; see {@link PublishedRanges}).
 *
 * <p>Yandex runs dozens of robots; besides their names, the {@code yandex.com/bots} address every one
 * of them carries marks a claim, so robots named like Yandex products (YandexMarket, YandexCalendar) are
 * covered without listing names that an app might also use.
 *
 * <p>Google's crawlers are three entries because Google documents three kinds with different host
 * names: common crawlers under {@code googlebot.com}, special-case crawlers under {@code google.com}, and
 * user-triggered fetchers under {@code google.com} or {@code gae.googleusercontent.com}. Google's generic
 * rule also allows {@code googleusercontent.com}, but any Google Cloud customer's virtual machine has a
 * reverse name there ({@code *.bc.googleusercontent.com}) that it can pair with a "Googlebot" User-Agent;
 * so that domain is accepted only as {@code gae.googleusercontent.com} and only for the user-triggered
 * fetchers that Google documents there.
 *
 * <p>The table is immutable and thread-safe.
 */
final class KnownCrawlers {

  /**
   * Who claims to be whom, as {@link TextTable} reads it: each crawler's name, then the User-Agent words
   * that claim it. The order is the order {@link #defaults()} lists them in.
   */
  private static final String CLAIMS = """
      Googlebot: Googlebot, Storebot-Google, Google-InspectionTool, GoogleOther, Google-CloudVertexBot
      Google special-case crawler: AdsBot-Google, Mediapartners-Google, APIs-Google, Google-Safety
      Google user-triggered fetcher: FeedFetcher-Google, Google-Read-Aloud, Google-Site-Verification,
        GoogleProducer
      Bingbot: bingbot, msnbot, BingPreview, adidxbot
      Applebot: Applebot
      DuckDuckBot: DuckDuckBot, DuckAssistBot
      YandexBot: YandexBot, YandexAccessibilityBot, YandexAdNet, YandexAdditional, YandexAdditionalBot,
        YandexBlogs, YandexComBot, YandexDirect, YandexDirectDyn, YaDirectFetcher, YandexFavicons,
        YandexForDomain, YandexImageResizer, YandexImages, YandexMedia, YandexMetrika, YandexMobileBot,
        YandexMobileScreenShotBot, YandexNews, YandexOntoDB, YandexOntoDBAPI, YandexPagechecker, YandexRCA,
        YandexRenderResourcesBot, YandexScreenshotBot, YandexSearchShop, YandexSitelinks, YandexSpravBot,
        YandexUserproxy, YandexVertis, YandexVerticals, YandexVideo, YandexVideoParser, YandexWebmaster,
        yandex.com/bots, yandex.ru/bots
      Baiduspider: Baiduspider
      Yahoo Slurp: Slurp
      PetalBot: PetalBot, AspiegelBot
      Amazonbot: Amazonbot
      AhrefsBot: AhrefsBot, AhrefsSiteAudit
      SeznamBot: SeznamBot
      OpenAI: GPTBot, OAI-SearchBot, ChatGPT-User
      """;

  /**
   * The domains each operator documents for its crawlers' reverse DNS names, by crawler name. A crawler
   * missing here (DuckDuckBot, OpenAI) is one whose operator publishes address ranges only.
   */
  private static final String REVERSE_DNS_DOMAINS = """
      Googlebot: googlebot.com, google.com
      Google special-case crawler: google.com, googlebot.com
      Google user-triggered fetcher: google.com, gae.googleusercontent.com
      Bingbot: search.msn.com
      Applebot: applebot.apple.com
      YandexBot: yandex.ru, yandex.net, yandex.com
      Baiduspider: baidu.com, baidu.jp
      Yahoo Slurp: crawl.yahoo.net
      PetalBot: petalsearch.com, aspiegel.com
      Amazonbot: crawl.amazonbot.amazon
      AhrefsBot: ahrefs.com, ahrefs.net
      SeznamBot: seznam.cz
      """;

  /**
   * The category Cloudflare's verified-bot directory files each crawler under, for
   * {@code cf.verified_bot_category}; a crawler missing here is "Other".
   */
  private static final Map<String, String> CATEGORIES = Map.ofEntries(
      Map.entry("Googlebot", "Search Engine Crawler"),
      Map.entry("Google special-case crawler", "Advertising & Marketing"),
      Map.entry("Google user-triggered fetcher", "Feed Fetcher"),
      Map.entry("Bingbot", "Search Engine Crawler"),
      Map.entry("Applebot", "Search Engine Crawler"),
      Map.entry("DuckDuckBot", "Search Engine Crawler"),
      Map.entry("YandexBot", "Search Engine Crawler"),
      Map.entry("Baiduspider", "Search Engine Crawler"),
      Map.entry("Yahoo Slurp", "Search Engine Crawler"),
      Map.entry("PetalBot", "Search Engine Crawler"),
      Map.entry("SeznamBot", "Search Engine Crawler"),
      Map.entry("Amazonbot", "AI Crawler"),
      Map.entry("AhrefsBot", "Search Engine Optimization"),
      Map.entry("OpenAI", "AI Crawler"));

  /** The category of the crawler named {@code name}, as Cloudflare names categories. */
  static String category(String name) {
    return CATEGORIES.getOrDefault(name, "Other");
  }

  private static final List<Crawler> DEFAULTS = defaultTable();

  private KnownCrawlers() {}

  /** The built-in table. */
  static List<Crawler> defaults() {
    return DEFAULTS;
  }

  private static List<Crawler> defaultTable() {
    Map<String, List<String>> domains = TextTable.parse(REVERSE_DNS_DOMAINS);
    Map<String, List<String>> claims = TextTable.parse(CLAIMS);
    for (String name : domains.keySet()) {
      if (!claims.containsKey(name)) {
        throw new IllegalStateException("reverse DNS domains for a crawler nobody claims: " + name);
      }
    }
    List<Crawler> crawlers = new ArrayList<>();
    claims.forEach((name, tokens) -> crawlers.add(new Crawler(name, tokens, domains.getOrDefault(name, List.of()))));
    return List.copyOf(crawlers);
  }
}
