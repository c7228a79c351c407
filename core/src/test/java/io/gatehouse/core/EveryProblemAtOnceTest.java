package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One load reports every problem, and each one once, as what it is: not a symptom of another. */
class EveryProblemAtOnceTest {

  @TempDir
  Path dir;

  private List<String> problems(String properties) throws IOException {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, properties);
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false)
        .environment(Map.of()).build()) {
      throw new AssertionError("loaded: " + g.status().summary());
    } catch (ConfigException e) {
      return e.problems().stream().map(p -> p.toString().replace(config.toString(), "{config}")
          .replace(dir.toString(), "{dir}")).toList();
    }
  }

  @Test
  void aMissingFeedFileIsReportedWithTheOtherProblems() throws IOException {
    assertThat(problems("gatehouse.mode=sometimes\ngatehouse.reputation.feed.f.source=missing.netset\n"))
        .containsExactly("{config}:1: gatehouse.mode: 'sometimes' is not one of enforce, simulate",
            "{config}:2: gatehouse.reputation.feed.f.source: no such file: {dir}/missing.netset");
  }

  @Test
  void aCountryRuleWithAGeoDatabaseThatFailedToLoadReportsOnlyTheDatabase() throws IOException {
    Files.writeString(dir.resolve("country.mmdb"), "not a database");
    List<String> found = problems("""
        gatehouse.geo.country-database=country.mmdb
        gatehouse.access-rule.c=block country XX
        gatehouse.rule.r.expression=ip.src.country eq "XX"
        gatehouse.rule.r.action=block
        """);
    assertThat(found).singleElement().asString().startsWith("{config}:1: gatehouse.geo.country-database:");
    assertThat(String.join("\n", found)).doesNotContain("set gatehouse.geo.country-database");
  }

  @Test
  void aRuleOnAListWhoseFileIsMissingReportsOnlyTheList() throws IOException {
    assertThat(problems("""
        gatehouse.list.offices=file:offices.txt
        gatehouse.rule.r.expression=ip.src in $offices
        gatehouse.rule.r.action=allow
        gatehouse.rule.s.expression=ip.src in $officesx
        gatehouse.rule.s.action=allow
        """)).containsExactly(
        "{config}:1: gatehouse.list.offices: cannot read list file: no such file: {dir}/offices.txt",
        "{config}:4:39: gatehouse.rule.s.expression: unknown list $officesx; lists are defined as"
            + " gatehouse.list.officesx\n  ip.src in $officesx\n            ^");
  }
}
