package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.bot.ForwardConfirmedDns.Outcome.Kind;
import io.gatehouse.core.bot.ForwardConfirmedDns.Outcome;
import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One lookup, asked synchronously: hostile and broken answers settle, and nothing escapes as an exception. */
class ForwardConfirmedDnsTest {

  private static final Crawler GOOGLEBOT = KnownCrawlers.defaults().get(0);
  private static final IpAddress ADDRESS = IpAddress.parse("203.0.113.5");

  /** A resolver answering with whatever a test hands it, nulls included. */
  private static CrawlerVerifier.DnsResolver answering(List<String> names, List<IpAddress> addresses) {
    return new CrawlerVerifier.DnsResolver() {
      @Override
      public List<String> reverse(IpAddress address) {
        return names;
      }

      @Override
      public List<IpAddress> forward(String name) {
        return addresses;
      }
    };
  }

  private static Outcome check(CrawlerVerifier.DnsResolver resolver) {
    return new ForwardConfirmedDns(resolver).check(GOOGLEBOT, ADDRESS);
  }

  @Test
  void aResolverThatThrowsAnythingIsAFailure() {
    FakeDns broken = new FakeDns().fail("203.0.113.5", new IllegalStateException("boom\u0007"));
    assertThat(check(broken)).isEqualTo(Outcome.failed("reverse lookup of 203.0.113.5 failed: boom?"));
  }

  @Test
  void nullAnswersAreNoAnswers() {
    assertThat(check(answering(null, null)).kind()).isEqualTo(Kind.IMPOSTOR);
    assertThat(check(answering(Arrays.asList((String) null), null)))
        .isEqualTo(Outcome.impostor("203.0.113.5 resolves to 'null', not under googlebot.com, google.com"));
    assertThat(check(answering(List.of("crawl.googlebot.com"), null)))
        .isEqualTo(Outcome.impostor("crawl.googlebot.com does not resolve back to 203.0.113.5"));
  }

  @Test
  void onlyTheFirstEightNamesAreLookedAt() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      names.add("host-" + i + ".hosting.example");
    }
    names.add("crawl.googlebot.com");
    assertThat(check(answering(names, List.of(ADDRESS))).kind()).isEqualTo(Kind.IMPOSTOR);
    assertThat(check(answering(names.subList(1, 9), List.of(ADDRESS))))
        .isEqualTo(Outcome.verified("crawl.googlebot.com"));
  }

  @Test
  void foreignNamesAreQuotedPrintably() {
    assertThat(check(answering(List.of("crawl\u0000.googlebot.com"), List.of(ADDRESS))).detail())
        .isEqualTo("203.0.113.5 resolves to 'crawl?.googlebot.com', not under googlebot.com, google.com");
  }

  @Test
  void aFailureLeavesTheClaimPending() {
    assertThat(Outcome.failed("timeout").status(GOOGLEBOT))
        .isEqualTo(CrawlerVerifier.Status.pending("Googlebot", "timeout; will retry"));
  }
}
