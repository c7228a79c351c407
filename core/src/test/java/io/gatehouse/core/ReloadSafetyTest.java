package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.Requests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read while it is being written (emptied by {@code >}, or only its first lines on disk) must not
 * be applied: the running configuration stays until the change is forced.
 */
class ReloadSafetyTest {

  private static final String TOKEN = "an-admin-token-of-some-length";
  private static final String FULL = """
      gatehouse.admin.token=%s
      gatehouse.client-ip.header=X-Forwarded-For
      gatehouse.client-ip.trusted-proxies=10.0.0.0/8
      gatehouse.access-rule.a=block ip 192.0.2.1
      gatehouse.access-rule.b=block ip 192.0.2.2
      gatehouse.access-rule.c=block ip 192.0.2.3
      gatehouse.rule.d.expression=http.request.uri.path eq "/d"
      gatehouse.rule.d.action=block
      """.formatted(TOKEN);

  @TempDir
  Path dir;
  Path config;

  @BeforeEach
  void write() throws IOException {
    config = dir.resolve("gatehouse.properties");
    Files.writeString(config, FULL);
  }

  private Gatehouse open() throws ConfigException {
    return Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).environment(Map.of()).build();
  }

  private static Action decide(Gatehouse g, String ip) {
    return g.decide(Requests.browser(ip).build()).action();
  }

  private static String refusal(ReloadResult r) {
    assertThat(r.applied()).as("reload applied").isFalse();
    assertThat(r.problems()).hasSize(1);
    return r.problems().get(0).toString();
  }

  @Test
  void anEmptiedFileIsRefusedAndTheRunningConfigurationStays() throws Exception {
    try (Gatehouse g = open()) {
      Files.writeString(config, "");
      assertThat(refusal(g.reload())).isEqualTo(config + ": reload refused: the configuration is now empty;"
          + " gatehouse.admin.token would be lost; gatehouse.client-ip.trusted-proxies would be lost; 4 rules"
          + " would become 0. A file read while being written looks like this; if the change is meant, reload"
          + " with force (POST /reload?force=true)");
      assertThat(decide(g, "192.0.2.1")).isEqualTo(Action.BLOCK);
      assertThat(g.admin().token()).isEqualTo(TOKEN);
      assertThat(g.lastReload().applied()).isFalse();
    }
  }

  @Test
  void aFileWithOnlyItsFirstLinesIsRefused() throws Exception {
    try (Gatehouse g = open()) {
      Files.writeString(config, FULL.substring(0, FULL.indexOf("gatehouse.access-rule.b")));
      assertThat(refusal(g.reload())).contains("4 rules would become 1.");
      assertThat(decide(g, "192.0.2.3")).isEqualTo(Action.BLOCK);
    }
  }

  @Test
  void losingTheAdminTokenOrTheTrustedProxiesAloneIsRefused() throws Exception {
    try (Gatehouse g = open()) {
      Files.writeString(config, FULL.replace("gatehouse.admin.token=" + TOKEN + "\n", ""));
      assertThat(refusal(g.reload())).contains("reload refused: gatehouse.admin.token would be lost.");
      Files.writeString(config, FULL.replace("gatehouse.client-ip.header=X-Forwarded-For\n", "")
          .replace("gatehouse.client-ip.trusted-proxies=10.0.0.0/8\n", ""));
      assertThat(refusal(g.reload())).contains("reload refused: gatehouse.client-ip.trusted-proxies would be lost.");
      assertThat(g.admin().token()).isEqualTo(TOKEN);
    }
  }

  @Test
  void aForcedReloadAppliesWhatItRefusedUnforced() throws Exception {
    try (Gatehouse g = open()) {
      Files.writeString(config, "gatehouse.mode=enforce\n");
      assertThat(g.reload().applied()).isFalse();
      ReloadResult forced = g.reload(true);
      assertThat(forced.applied()).as("forced: %s", forced.problems()).isTrue();
      assertThat(decide(g, "192.0.2.1")).isEqualTo(Action.ALLOW);
      assertThat(g.admin().token()).isNull();
    }
  }

  @Test
  void ordinaryEditsAreApplied() throws Exception {
    try (Gatehouse g = open()) {
      // One rule of four removed, one changed: not more than half lost.
      Files.writeString(config, FULL.replace("gatehouse.access-rule.c=block ip 192.0.2.3\n", "")
          .replace("block ip 192.0.2.2", "block ip 192.0.2.22"));
      assertThat(g.reload().applied()).isTrue();
      assertThat(decide(g, "192.0.2.3")).isEqualTo(Action.ALLOW);
      assertThat(decide(g, "192.0.2.22")).isEqualTo(Action.BLOCK);
      // From three rules to two: one lost.
      Files.writeString(config, FULL.replace("gatehouse.access-rule.c=block ip 192.0.2.3\n", "")
          .replace("gatehouse.access-rule.b=block ip 192.0.2.2\n", ""));
      assertThat(g.reload().applied()).isTrue();
    }
  }

  @Test
  void aConfigurationWithoutRulesLosesNothingByStayingWithout() throws Exception {
    Files.writeString(config, "gatehouse.mode=simulate\n");
    try (Gatehouse g = open()) {
      Files.writeString(config, "gatehouse.mode=enforce\n");
      assertThat(g.reload().applied()).isTrue();
    }
  }
}
