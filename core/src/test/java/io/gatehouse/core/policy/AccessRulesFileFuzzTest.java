package io.gatehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RuleChange;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.rules.AccessRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The managed rules file, in Gatehouse's own shape or the CDN's export, as whoever edits it leaves it.
 * {@link AccessRulesFile#read} reports problems and never throws; the rules it reads are written back and
 * read again unchanged, and each one's properties text ({@link AccessRule#text()}) parses back to it; and
 * an engine started on the file either refuses it with a {@link ConfigException} or can add and remove a
 * rule in it through {@link ManagedRules}.
 *
 * <p>The input is the file, so a rules file is a seed as it is. {@code core/fuzz.sh access-rules}
 * fuzzes this for longer.
 */
class AccessRulesFileFuzzTest {

  private static final Path DIR = directory();
  private static final Path FILE = DIR.resolve("rules.json");
  private static final Path COPY = DIR.resolve("written.json");

  @FuzzTest(maxDuration = "10s")
  @DictionaryFile(resourcePath = "AccessRulesFileFuzzTest.dict")
  void readsAnyRulesFile(FuzzedDataProvider data) throws IOException {
    byte[] bytes = data.consumeRemainingAsBytes();
    Files.write(FILE, bytes);

    ConfigException.Collector problems = new ConfigException.Collector();
    List<AccessRule> rules = AccessRulesFile.read(FILE, "rules.json", problems);
    for (ConfigException.Problem p : problems.list()) {
      assertThat(p.line()).isNotNegative();
      assertThat(p.message()).isNotBlank();
    }
    for (AccessRule r : rules) {
      AccessRule parsed = AccessRule.parse(r.id(), r.text(), r.origin());
      assertThat(parsed).as("the properties text %s", r.text()).isEqualTo(r);
    }

    AccessRulesFile.write(COPY, rules);
    ConfigException.Collector again = new ConfigException.Collector();
    List<AccessRule> reread = AccessRulesFile.read(COPY, "written.json", again);
    assertThat(again.list()).as("problems reading back what was written").isEmpty();
    assertThat(reread).extracting(AccessRule::text).as("the rules written and read back")
        .isEqualTo(rules.stream().map(AccessRule::text).toList());
    assertThat(reread).extracting(AccessRule::id).isEqualTo(rules.stream().map(AccessRule::id).toList());

    if (!problems.isEmpty()) {
      return;
    }
    Gatehouse g;
    try {
      g = Gatehouse.builder().config(ConfigSource.text("fuzz.properties", "gatehouse.access-rules.file=" + FILE
          + "\n")).environment(Map.of()).watchFiles(false).build();
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      return;
    }
    try (g) {
      RuleChange added = g.addAccessRule("fuzz-added", "block", "ip", "192.0.2.99", "added by the fuzz test");
      assertThat(added.status()).as("%s", added).isIn(201, 409, 422);
      if (added.ok()) {
        assertThat(g.removeAccessRule("fuzz-added").status()).isEqualTo(200);
      }
    }
  }

  private static Path directory() {
    try {
      Path dir = Path.of("target", "fuzz-sandbox", "access-rules").toAbsolutePath().normalize();
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
