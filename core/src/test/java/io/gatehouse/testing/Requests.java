package io.gatehouse.testing;

import io.gatehouse.core.RequestFacts;

/** Requests as real clients send them, for tests about something other than the integrity check. */
public final class Requests {

  public static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";
  public static final String FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101"
      + " Firefox/133.0";

  private Requests() {}

  /** A browser navigation from {@code ip}: the headers Chrome always sends. */
  public static RequestFacts.Builder browser(String ip) {
    return browser(ip, CHROME);
  }

  /** A navigation from {@code ip} with this User-Agent and a browser's other headers. */
  public static RequestFacts.Builder browser(String ip, String userAgent) {
    return RequestFacts.builder().peer(ip).method("GET").host("shop.example")
        .header("User-Agent", userAgent)
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header("Accept-Language", "en-GB,en;q=0.9")
        .header("Accept-Encoding", "gzip, deflate, br");
  }
}
