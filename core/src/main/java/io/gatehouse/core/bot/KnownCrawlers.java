package io.gatehouse.core.bot;

import java.util.List;

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
 */
public final class KnownCrawlers {

  private static final List<Crawler> DEFAULTS = List.of(
      new Crawler("Googlebot",
          List.of("Googlebot", "Storebot-Google", "Google-InspectionTool", "GoogleOther", "Google-CloudVertexBot"),
          List.of("googlebot.com", "google.com")),
      new Crawler("Google special-case crawler",
          List.of("AdsBot-Google", "Mediapartners-Google", "APIs-Google", "Google-Safety"),
          List.of("google.com", "googlebot.com")),
      new Crawler("Google user-triggered fetcher",
          List.of("FeedFetcher-Google", "Google-Read-Aloud", "Google-Site-Verification", "GoogleProducer"),
          List.of("google.com", "gae.googleusercontent.com")),
      new Crawler("Bingbot",
          List.of("bingbot", "msnbot", "BingPreview", "adidxbot"),
          List.of("search.msn.com")),
      new Crawler("Applebot",
          List.of("Applebot"),
          List.of("applebot.apple.com")),
      new Crawler("DuckDuckBot",
          List.of("DuckDuckBot", "DuckAssistBot"),
          List.of()),
      new Crawler("YandexBot",
          List.of("YandexBot", "YandexAccessibilityBot", "YandexAdNet", "YandexAdditional", "YandexAdditionalBot",
              "YandexBlogs", "YandexComBot", "YandexDirect", "YandexDirectDyn", "YaDirectFetcher", "YandexFavicons",
              "YandexForDomain", "YandexImageResizer", "YandexImages", "YandexMedia", "YandexMetrika",
              "YandexMobileBot", "YandexMobileScreenShotBot", "YandexNews", "YandexOntoDB", "YandexOntoDBAPI",
              "YandexPagechecker", "YandexRCA", "YandexRenderResourcesBot", "YandexScreenshotBot",
              "YandexSearchShop", "YandexSitelinks", "YandexSpravBot", "YandexUserproxy", "YandexVertis",
              "YandexVerticals", "YandexVideo", "YandexVideoParser", "YandexWebmaster", "yandex.com/bots",
              "yandex.ru/bots"),
          List.of("yandex.ru", "yandex.net", "yandex.com")),
      new Crawler("Baiduspider",
          List.of("Baiduspider"),
          List.of("baidu.com", "baidu.jp")),
      new Crawler("Yahoo Slurp",
          List.of("Slurp"),
          List.of("crawl.yahoo.net")),
      new Crawler("PetalBot",
          List.of("PetalBot", "AspiegelBot"),
          List.of("petalsearch.com", "aspiegel.com")),
      new Crawler("Amazonbot",
          List.of("Amazonbot"),
          List.of("crawl.amazonbot.amazon")),
      new Crawler("AhrefsBot",
          List.of("AhrefsBot", "AhrefsSiteAudit"),
          List.of("ahrefs.com", "ahrefs.net")),
      new Crawler("SeznamBot",
          List.of("SeznamBot"),
          List.of("seznam.cz")),
      new Crawler("OpenAI",
          List.of("GPTBot", "OAI-SearchBot", "ChatGPT-User"),
          List.of()));

  private KnownCrawlers() {}

  /** The built-in table. */
  public static List<Crawler> defaults() {
    return DEFAULTS;
  }
}
