package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A duration setting beyond its range, however long, is a configuration problem, not an ArithmeticException from
 * deep inside the load (a feed's refresh, the reload interval, the half-life) or from the first solved
 * challenge (the clearance's lifetime).
 */
class DurationLimitsTest {

  @ParameterizedTest
  @ValueSource(strings = {"gatehouse.reload.interval", "gatehouse.reputation.feed.drop.refresh",
      "gatehouse.reputation.fetch-timeout", "gatehouse.reputation.behaviour.half-life",
      "gatehouse.reputation.behaviour.probe-window", "gatehouse.shared-ip.detect-window", "gatehouse.challenge.ttl",
      "gatehouse.bots.dns-timeout"})
  void aDurationBeyondAHundredYearsIsAProblemOfItsKey(String key, @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("drop.txt"), "192.0.2.0/24 ; SBL1\n");
    Path config = dir.resolve("g.properties");
    Files.writeString(config, "gatehouse.reputation.feed.drop.source=drop.txt\n" + key + "=999999999999d\n");
    assertThatThrownBy(() -> Gatehouse.builder().config(ConfigSource.file(config)).environment(Map.of()).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("1 configuration problem:\n" + config + ":2: " + key
            + ": '999999999999d' is not a duration from ");
  }
}
