package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.BrowserIntegrityCheck.Result.Finding;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Whatever arrives as a User-Agent, the check answers, quickly and with printable details. */
class BrowserIntegrityCheckProperties {

  private static final BrowserIntegrityCheck STRICT = BrowserIntegrityCheck.builder().flagScriptingClients(true).build();

  private static BrowserIntegrityCheck.Result check(String ua) {
    RequestFacts facts = RequestFacts.builder().uri("/").header("User-Agent", ua).build();
    return STRICT.check(facts, CrawlerVerifier.Status.NOT_A_CRAWLER);
  }

  @Property(tries = 2000)
  void anyStringIsJudgedWithoutError(@ForAll @StringLength(max = 3000) String ua) {
    BrowserIntegrityCheck.Result r = check(ua);
    assertThat(r.failed()).isEqualTo(r.findings().stream().anyMatch(Finding::failing));
    BrowserIntegrityCheckTest.assertPrintable(r);
  }

  @Provide
  Arbitrary<String> userAgentLike() {
    Arbitrary<String> word = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./;()_-+ ,:")
        .ofMinLength(0).ofMaxLength(12);
    return word.list().ofMaxSize(30).map(l -> String.join(" ", l));
  }

  @Property(tries = 2000)
  void userAgentShapedNoiseIsJudgedWithoutError(@ForAll("userAgentLike") String ua) {
    BrowserIntegrityCheckTest.assertPrintable(check(ua));
    BrowserIntegrityCheckTest.assertPrintable(check("Mozilla/5.0 " + ua));
  }

  @Property(tries = 500)
  void aToolNameAsItsOwnWordIsAlwaysCaught(@ForAll("userAgentLike") String before,
      @ForAll("userAgentLike") String after) {
    String ua = "Mozilla/5.0 " + before + " sqlmap/1.8 " + after;
    if (ua.length() <= ScannerSignatures.MAX_SCAN) {
      // The first signature in the text is the one named: the random text before may hold another tool's.
      String lowerBefore = ("Mozilla/5.0 " + before).toLowerCase(Locale.ROOT);
      assertThat(check(ua).findings()).anyMatch(f -> f.heuristic().equals("scanner_signature")
          && (f.detail().equals("sqlmap") || lowerBefore.contains(f.detail().toLowerCase(Locale.ROOT))));
    }
  }
}
