package io.gatehouse.core.bot;

import java.util.Objects;

/**
 * What is known about a request's claim to come from a known crawler, as {@link CrawlerVerifier} answers
 * at once without waiting on DNS.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind the state of the claim
 * @param crawler the claimed crawler's name (as in {@link KnownCrawlers}); empty for
 *     {@link Kind#NOT_A_CRAWLER}
 * @param detail how the claim was settled, for events and explain output (a host name, a published
 *     network, or why it failed); may be empty
 */
public record CrawlerStatus(Kind kind, String crawler, String detail) {

  /** The state of a crawler claim. */
  public enum Kind {
    /** The User-Agent names no known crawler. */
    NOT_A_CRAWLER,
    /**
     * The User-Agent names a known crawler that is not verified yet, or cannot be: treat the request as
     * an ordinary visitor.
     */
    PENDING,
    /** The address is the crawler's, by its published ranges or forward-confirmed reverse DNS. */
    VERIFIED,
    /** DNS answered, and the answer shows the address is not the crawler's. */
    IMPOSTOR,
  }

  /** The status of a request whose User-Agent names no known crawler. */
  public static final CrawlerStatus NOT_A_CRAWLER = new CrawlerStatus(Kind.NOT_A_CRAWLER, "", "");

  public CrawlerStatus {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(crawler, "crawler");
    Objects.requireNonNull(detail, "detail");
    if ((kind == Kind.NOT_A_CRAWLER) != crawler.isEmpty()) {
      throw new IllegalArgumentException("a claim names its crawler, and only a claim does");
    }
  }

  public static CrawlerStatus pending(String crawler, String detail) {
    return new CrawlerStatus(Kind.PENDING, crawler, detail);
  }

  public static CrawlerStatus verified(String crawler, String detail) {
    return new CrawlerStatus(Kind.VERIFIED, crawler, detail);
  }

  public static CrawlerStatus impostor(String crawler, String detail) {
    return new CrawlerStatus(Kind.IMPOSTOR, crawler, detail);
  }

  /** Whether the request is from the crawler it names. */
  public boolean isVerified() {
    return kind == Kind.VERIFIED;
  }

  /** Whether the User-Agent names a known crawler at all. */
  public boolean isClaim() {
    return kind != Kind.NOT_A_CRAWLER;
  }
}
