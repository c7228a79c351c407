package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values that parse but make no sense are refused at load, with the file, line and key. */
class ConfigurationBoundsTest {

  @TempDir
  Path dir;

  private List<String> problems(String properties) throws IOException {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, properties, StandardCharsets.UTF_8);
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false)
        .environment(Map.of()).build()) {
      throw new AssertionError("loaded: " + g);
    } catch (ConfigException e) {
      return e.problems().stream().map(p -> p.toString().replace(config.toString(), "{config}")
          .replace(dir.toString(), "{dir}")).toList();
    }
  }

  @Test
  void theRootPathIsNoChallengePathForEveryPostWouldBeTakenForASolution() throws IOException {
    assertThat(problems("gatehouse.challenge.path=/\n")).containsExactly(
        "{config}:1: gatehouse.challenge.path: '/' is not a plain path such as /__gatehouse-challenge");
  }

  @ParameterizedTest(name = "challenge {0}, admin {1}")
  @CsvSource(delimiter = '|', value = {
      "/__gatehouse | /__gatehouse | 1 | is",
      "/__gatehouse/verify | /__gatehouse | 1 | is under",
      "/ops | /ops/gatehouse | 1 | holds",
  })
  void theChallengeAndTheAdminEndpointsKeepApart(String challenge, String admin, int line, String relation)
      throws IOException {
    assertThat(problems("gatehouse.challenge.path=" + challenge + "\ngatehouse.admin.path=" + admin + "\n"))
        .containsExactly("{config}:" + line + ": gatehouse.challenge.path: the challenge path " + challenge + " "
            + relation + " the admin path " + admin + "; the challenge is public and the admin endpoints are not,"
            + " so keep them apart");
  }

  @Test
  void anAdminPathSetAloneIsBlamedWhenItTakesInTheDefaultChallengePath() throws IOException {
    assertThat(problems("gatehouse.admin.path=/__gatehouse-challenge\n")).containsExactly(
        "{config}:1: gatehouse.admin.path: the challenge path /__gatehouse-challenge is the admin path"
            + " /__gatehouse-challenge; the challenge is public and the admin endpoints are not, so keep them"
            + " apart");
  }

  @Test
  void pageTextsAreOneLineOfPlainTextAndShort() throws IOException {
    assertThat(problems("gatehouse.page.site-name=Shop\u0000Evil\n"
        + "gatehouse.page.contact=call\u2028us\n"
        + "gatehouse.mode=enforce\n")).containsExactly(
        "{config}:1: gatehouse.page.site-name: has a control character (U+0000) at position 5; page texts are"
            + " one line of plain text",
        "{config}:2: gatehouse.page.contact: has a control character (U+2028) at position 5; page texts are one"
            + " line of plain text");
    assertThat(problems("gatehouse.page.contact=" + "x".repeat(201) + "\n")).containsExactly(
        "{config}:1: gatehouse.page.contact: has 201 characters; page texts have at most 200");
  }

  @Test
  void aTemplateWithAControlCharacterIsRefused() throws IOException {
    Files.writeString(dir.resolve("1012.html"), "<p>{{ray_id}}\u0000</p>\n");
    assertThat(problems("gatehouse.page.template.1012=1012.html\n")).containsExactly(
        "{config}:1: gatehouse.page.template.1012: template {dir}/1012.html has a control character (U+0000)"
            + " at offset 13; templates are HTML text");
  }

  @Test
  void aHugeValueIsRefusedAndLargeDataIsSentToFiles() throws IOException {
    String big = "203.0.113.1, ".repeat(400_000);
    assertThat(problems("gatehouse.list.big=" + big + "\n")).singleElement().asString()
        .startsWith("{config}:1: gatehouse.list.big: the value has 52")
        .endsWith(" characters; at most 16384: large data belongs in a file (gatehouse.list.NAME=file:...,"
            + " gatehouse.access-rules.file)");
  }

  @Test
  void overflowingDurationsAreRefusedAtLoadAndNeverReachTheTrackers() throws IOException {
    assertThat(problems("gatehouse.reputation.behaviour.half-life=99999999d\ngatehouse.challenge.ttl=999999999999d\n"
        + "gatehouse.shared-ip.detect-window=PT2562047H\n"))
        .containsExactly(
            "{config}:1: gatehouse.reputation.behaviour.half-life: '99999999d' is not a duration from 1m to 7d",
            "{config}:2: gatehouse.challenge.ttl: '999999999999d' is not a duration from 1m to 30d",
            "{config}:3: gatehouse.shared-ip.detect-window: 'PT2562047H' is not a duration from 1m to 1d");
  }

  @Test
  void theLargestAcceptedValuesLoad() throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.reputation.behaviour.half-life=7d
        gatehouse.challenge.ttl=30d
        gatehouse.challenge.difficulty=24
        gatehouse.shared-ip.detect-window=1d
        gatehouse.reputation.behaviour.max-tracked=10000000
        gatehouse.reload.interval=1h
        gatehouse.bots.dns-timeout=30s
        gatehouse.page.site-name=%s
        """.formatted("s".repeat(200)));
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false)
        .environment(Map.of()).build()) {
      assertThat(g.decide(io.gatehouse.testing.Requests.browser("198.51.100.7").build()).action())
          .isEqualTo(Action.ALLOW);
    }
    assertThat(problems("gatehouse.challenge.difficulty=25\n")).containsExactly(
        "{config}:1: gatehouse.challenge.difficulty: '25' is not a whole number from 1 to 24");
  }
}
