package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Detection measured on the OWASP Core Rule Set's list of scanner User-Agent phrases (rule 913100), sent
 * as the whole User-Agent and inside a typical {@code (compatible; ...)} wrapper.
 */
class OwaspScannerCorpusTest {

  /**
   * Phrases in the list that name no tool. CRS matches them as substrings for other reasons, and Gatehouse
   * refuses them too, as {@code malformed_user_agent}:
   * <ul>
   *   <li>{@code useragent}, {@code user-agent}: the header's own name sent as its value (CRS saw it from
   *       Vega); a template that was never filled in, not a tool's name.
   *   <li>{@code Mozlila}, {@code Mozilla/5.g}: counterfeit spellings of the Mozilla token used by bots
   *       that imitate browsers carelessly.
   * </ul>
   */
  private static final Set<String> NOT_TOOL_NAMES = Set.of("useragent", "user-agent", "mozlila", "mozilla/5.g");

  private static final BrowserIntegrityCheck CHECK = BrowserIntegrityCheck.defaults();

  private static BrowserIntegrityCheck.Result check(String ua) {
    RequestFacts facts = RequestFacts.builder().peer("203.0.113.5").uri("/").header("User-Agent", ua)
        .header("Accept", "*/*").build();
    return CHECK.check(facts, CrawlerVerifier.Status.NOT_A_CRAWLER);
  }

  private static boolean has(BrowserIntegrityCheck.Result r, String heuristic) {
    return r.findings().stream().anyMatch(f -> f.failing() && f.heuristic().equals(heuristic));
  }

  @Test
  void everyToolNameInTheCrsListIsCaught() {
    List<String> phrases = Corpora.owaspPhrases();
    assertThat(phrases).hasSize(80);
    List<String> missed = new ArrayList<>();
    List<String> notCaughtAsMalformed = new ArrayList<>();
    int tools = 0;
    int caught = 0;
    for (String phrase : phrases) {
      if (NOT_TOOL_NAMES.contains(phrase.toLowerCase(Locale.ROOT))) {
        if (!has(check(phrase), BrowserIntegrityCheck.MALFORMED_USER_AGENT)) {
          notCaughtAsMalformed.add(phrase);
        }
        continue;
      }
      tools++;
      String wrapped = phrase.startsWith("Mozilla/") ? phrase + " scan)" : "Mozilla/5.0 (compatible; " + phrase + "/1.0)";
      if (has(check(phrase), BrowserIntegrityCheck.SCANNER_SIGNATURE)
          && has(check(wrapped), BrowserIntegrityCheck.SCANNER_SIGNATURE)) {
        caught++;
      } else {
        missed.add(phrase);
      }
    }
    assertThat(missed).as("tool phrases not caught").isEmpty();
    assertThat(caught).as("tool phrases caught").isEqualTo(tools);
    assertThat(notCaughtAsMalformed).as("non-tool phrases not caught as malformed").isEmpty();
  }

  @Test
  void theOwnListNamesAtLeastSixtyTools() {
    assertThat(ScannerSignatures.tools()).hasSizeGreaterThanOrEqualTo(60);
  }
}
