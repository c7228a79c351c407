package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.Requests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What editors, crashes and containers leave behind does not trip Gatehouse up. */
class HostileEnvironmentTest {

  @TempDir Path dir;

  @Test
  void aByteOrderMarkAtTheStartOfTheFileIsAccepted() throws Exception {
    Path config = dir.resolve("g.properties");
    Files.write(config, ("\uFEFFgatehouse.mode=simulate\ngatehouse.access-rule.x=block ip 192.0.2.1\n")
        .getBytes(StandardCharsets.UTF_8));
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).environment(Map.of()).watchFiles(false)
        .build()) {
      assertThat(g.status().mode()).isEqualTo(Mode.SIMULATE);
      assertThat(g.decide(Requests.browser("192.0.2.1").build()).enforced()).isFalse();
    }
  }

  @Test
  void filesLeftByAnInterruptedRulesWriteAreRemovedAtStart() throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"rules\": [{\"id\": \"a\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.1\"}]}");
    Path stale = dir.resolve(".rules.json4183774.tmp");
    Files.writeString(stale, "{\"rules\": [");
    Path unrelated = dir.resolve(".other.json1.tmp");
    Files.writeString(unrelated, "x");
    Path config = dir.resolve("g.properties");
    Files.writeString(config, "gatehouse.access-rules.file=rules.json\n");
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build()) {
      assertThat(stale).doesNotExist();
      assertThat(unrelated).exists();
      assertThat(rules).exists();
      assertThat(g.decide(Requests.browser("192.0.2.1").build()).action()).isEqualTo(Action.BLOCK);
    }
  }

  @Test
  void fileFeedsAloneStartNoHttpClient() throws Exception {
    Files.writeString(dir.resolve("feed.txt"), "192.0.2.0/24\n");
    Path config = dir.resolve("g.properties");
    Files.writeString(config, "gatehouse.reputation.feed.f.source=feed.txt\n");
    long before = selectorThreads();
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build()) {
      assertThat(g.status().feeds()).hasSize(1);
      assertThat(selectorThreads()).isEqualTo(before);
    }
  }

  /** The selector threads of {@code java.net.http} clients running now. */
  private static long selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("HttpClient-") && n.endsWith("-SelectorManager")).count();
  }
}
