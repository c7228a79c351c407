package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void readsNamesItemsCommentsAndContinuations() {
    Map<String, List<String>> t = TextTable.parse("""
        # a comment
        Perl: libwww-perl, lwp::simple,
          www-mechanize

        Nikto
        Burp Suite: burp suite , burpcollaborator
        """);
    assertThat(t).containsExactly(
        Map.entry("Perl", List.of("libwww-perl", "lwp::simple", "www-mechanize")),
        Map.entry("Nikto", List.of()),
        Map.entry("Burp Suite", List.of("burp suite", "burpcollaborator")));
  }

  @Test
  void aNameListedTwiceOrAContinuationFirstIsRefused() {
    assertThatThrownBy(() -> TextTable.parse("Nikto\nNikto: nikto\n")).hasMessage("listed twice: Nikto");
    assertThatThrownBy(() -> TextTable.parse("  nikto\n")).hasMessage("a continuation line comes first: 'nikto'");
  }

  @Test
  void theBuiltInTablesLoad() {
    assertThat(ScannerSignatures.tools()).contains("Nikto", "THC Hydra", "Burp Suite");
    assertThat(ScannerSignatures.find("Mozilla/5.0 (Hydra)")).isEqualTo("THC Hydra");
    assertThat(UserAgents.scriptingClient("lwp::simple/6.0")).isEqualTo("Perl (lwp::simple)");
    assertThat(KnownCrawlers.defaults()).filteredOn(c -> !c.verifiableByDns()).extracting(Crawler::name)
        .containsExactly("DuckDuckBot", "OpenAI");
  }
}
