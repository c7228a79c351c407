package io.gatehouse.core.bot;

import io.gatehouse.core.net.IpAddress;
import java.util.List;

/**
 * Forward-confirmed reverse DNS for one address and the crawler it claims to be, asked synchronously: the
 * address's PTR name must belong to the crawler ({@link CrawlerHostNames}) and resolve back to the same
 * address. {@link DnsVerifications} runs it off the request thread.
 *
 * <p>Only an answer disproves a claim: a foreign name, a name that does not resolve back, or no name at
 * all makes an impostor, while a failed question proves nothing. Nothing a resolver returns or throws
 * escapes as an exception, and what the outcome quotes from DNS is made printable.
 *
 * <p>Thread-safe: it holds only the resolver, which {@link CrawlerVerifier.DnsResolver} requires to be thread-safe.
 */
final class ForwardConfirmedDns {

  /** PTR names looked at per address; an address's owner can publish any number of them. */
  private static final int MAX_NAMES = 8;

  private final CrawlerVerifier.DnsResolver resolver;

  ForwardConfirmedDns(CrawlerVerifier.DnsResolver resolver) {
    this.resolver = resolver;
  }

  /** What DNS says about {@code address} being {@code crawler}'s. */
  Outcome check(Crawler crawler, IpAddress address) {
    List<String> names;
    try {
      names = resolver.reverse(address);
    } catch (Exception e) {
      return Outcome.failed("reverse lookup of " + address + " failed: " + describe(e));
    }
    if (names == null || names.isEmpty()) {
      return Outcome.impostor(address + " has no reverse DNS name");
    }
    String outside = null;
    String unconfirmed = null;
    String failure = null;
    int looked = 0;
    for (String raw : names) {
      if (looked++ == MAX_NAMES) {
        break;
      }
      String name = CrawlerHostNames.normalize(raw);
      if (name == null || !CrawlerHostNames.belongsTo(name, crawler)) {
        if (outside == null) {
          outside = name == null ? "'" + UserAgents.printable(String.valueOf(raw)) + "'" : name;
        }
        continue;
      }
      List<IpAddress> addresses;
      try {
        addresses = resolver.forward(name);
      } catch (Exception e) {
        failure = "forward lookup of " + name + " failed: " + describe(e);
        continue;
      }
      if (addresses != null && addresses.contains(address)) {
        return Outcome.verified(name);
      }
      if (unconfirmed == null) {
        unconfirmed = name;
      }
    }
    if (failure != null) {
      return Outcome.failed(failure);
    }
    if (unconfirmed != null) {
      return Outcome.impostor(unconfirmed + " does not resolve back to " + address);
    }
    return Outcome.impostor(address + " resolves to " + outside + ", not under "
        + String.join(", ", crawler.reverseDnsDomains()));
  }

  private static String describe(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt(); // cancelled at the deadline or on close
    }
    String message = e.getMessage();
    String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    return UserAgents.printable(text);
  }

  /** A finished verification, or one that could not finish. */
  record Outcome(Kind kind, String detail) {

    enum Kind { VERIFIED, IMPOSTOR, FAILED }

    static Outcome verified(String host) {
      return new Outcome(Kind.VERIFIED, host);
    }

    static Outcome impostor(String why) {
      return new Outcome(Kind.IMPOSTOR, why);
    }

    static Outcome failed(String why) {
      return new Outcome(Kind.FAILED, why);
    }

    /** The claim's status: a failure leaves it pending, since it proves nothing. */
    CrawlerVerifier.Status status(Crawler crawler) {
      return switch (kind) {
        case VERIFIED -> CrawlerVerifier.Status.verified(crawler.name(), detail);
        case IMPOSTOR -> CrawlerVerifier.Status.impostor(crawler.name(), detail);
        case FAILED -> CrawlerVerifier.Status.pending(crawler.name(), detail + "; will retry");
      };
    }
  }
}
