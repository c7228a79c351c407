package io.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void checkPrintsTheSummaryOfAGoodConfiguration() throws Exception {
    Path config = dir.resolve("g.properties");
    Files.writeString(dir.resolve("feed.txt"), "192.0.2.0/24\nnonsense\n");
    Files.writeString(config, """
        gatehouse.access-rule.a=block ip 203.0.113.0/24
        gatehouse.reputation.feed.f.source=feed.txt
        """);
    assertThat(run("check", config.toString())).isZero();
    assertThat(out()).startsWith("OK " + config + "\n1 access rule, 0 custom rules, 1 feed, no geo data,"
        + " security level medium, mode enforce\nfeed f: 1 entries from file, 1 lines rejected,"
        + " first line 2: 'nonsense' is not an address or network: 'nonsense'\n");
  }

  @Test
  void checkPrintsEveryProblemAndExitsOne() throws Exception {
    Path config = dir.resolve("g.properties");
    Files.writeString(config, """
        gatehouse.mode=enforced
        gatehouse.access-rule.a=block ip 203.0.113.0/33
        gatehouse.securty-level=high
        """);
    assertThat(run("check", config.toString())).isEqualTo(1);
    assertThat(err()).isEqualTo("3 problems\n"
        + config + ":1: gatehouse.mode: 'enforced' is not one of enforce, simulate\n"
        + config + ":2: gatehouse.access-rule.a: '203.0.113.0/33' is not a network: the prefix length must be 0..32\n"
        + config + ":3: gatehouse.securty-level: unknown key; did you mean gatehouse.security-level?\n");
  }

  @Test
  void explainPrintsTheDecisionPhaseByPhase() throws Exception {
    Path config = dir.resolve("g.properties");
    Files.writeString(config, """
        gatehouse.access-rule.office=allow ip 203.0.113.0/24 "office"
        gatehouse.access-rule.bad=block ip 198.51.100.0/24 "scanners"
        """);
    assertThat(run("explain", config.toString(), "--ip", "198.51.100.7", "--path", "/login?next=/", "--ua", "curl/8",
        "--header", "Accept: */*")).isZero();
    assertThat(out()).startsWith("decision: block (error 1012) by access_rules 'bad': scanners\n")
        .contains("  access_rules: block\n      rule 'bad' matches: block ip 198.51.100.0/24 \"scanners\"");
    out.reset();
    assertThat(run("explain", config.toString(), "--ip", "203.0.113.5")).isZero();
    assertThat(out()).startsWith("decision: allow by access_rules 'office': office\n")
        .contains("  security_level: skipped\n      skipped: rule 'office' allowed the request");
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertThat(run()).isEqualTo(2);
    assertThat(run("check")).isEqualTo(2);
    assertThat(run("check", dir.resolve("missing").toString())).isEqualTo(2);
    Path config = dir.resolve("g.properties");
    Files.writeString(config, "gatehouse.mode=enforce\n");
    assertThat(run("explain", config.toString())).isEqualTo(2);
    assertThat(run("explain", config.toString(), "--ip")).isEqualTo(2);
    assertThat(run("explain", config.toString(), "--ip", "192.0.2.1", "--bogus", "x")).isEqualTo(2);
    assertThat(err()).contains("usage: gatehouse check CONFIG");
  }
}
