package io.gatehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.rules.AccessRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessRulesFileTest {

  /** The file ends inside a field that is skipped: in the CDN export's extra fields, or before the rules. */
  /** Numbers whose exponent no BigDecimal holds, in a field of a rule whether it is read or not. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"rules\": [{\"id\": \"a\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.1\","
          + " \"created\": 1e99999999999}]}",
      "{\"result\": [{\"mode\": \"block\", \"configuration\": {\"target\": \"ip\", \"value\": \"192.0.2.1\"},"
          + " \"scope\": {\"n\": 2e-9999999999}}]}"})
  void aNumberOutOfRangeIsMalformedJson(String text, @TempDir Path dir) throws Exception {
    assertThat(theOneProblemOf(text, dir))
        .startsWith("rules.json:1: not valid JSON: rule 0 holds a number out of range: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"rurules\": [\n  {\"id\": \"a\", \"irck\",\n",
      "{\"success\": true, \"errors\": [",
      "{\"result\": [], \"messages\": [\"a\", \"b\"",
      "{\"rules\": [], \"meta\": {\"page\": 1,",
      "{\"result\": [{\"mode\": \"block\", \"configuration\": {\"target\": \"ip\", \"value\": \"192.0.2.1\"},"
          + " \"allowed_modes\": [\"block\", "})
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFileThatEndsInsideASkippedValueIsMalformedJson(String text, @TempDir Path dir) throws Exception {
    assertThat(theOneProblemOf(text, dir))
        .startsWith("rules.json:").contains(": not valid JSON: ");
  }

  /** Reads {@code text} as a rules file: it must give no rule and one problem, returned as text. */
  private static String theOneProblemOf(String text, Path dir) throws Exception {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, text);
    ConfigException.Collector problems = new ConfigException.Collector();
    List<AccessRule> rules = AccessRulesFile.read(file, "rules.json", problems);
    assertThat(rules).isEmpty();
    assertThat(problems.list()).hasSize(1);
    return problems.list().get(0).toString();
  }
}
