package io.gatehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gatehouse.core.ReloadResult;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.reputation.FeedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy goes in force whole or not at all: when readying it fails, nothing has changed. */
class LivePolicyInstallTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  private final FeedRegistry feeds = new FeedRegistry(CLOCK, () -> 0L);
  private final List<Policy> inForce = new ArrayList<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private LivePolicy live;

  @AfterEach
  void close() {
    if (live != null) {
      live.close();
    }
    feeds.close();
  }

  private LivePolicy.Listener listener() {
    return p -> {
      if (failing.get()) {
        throw new IllegalStateException("cannot size the tracker");
      }
      return () -> inForce.add(p);
    };
  }

  @Test
  void aReloadThatCannotBeReadiedKeepsTheRunningPolicyAndIsReportedAsAProblem(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, "gatehouse.access-rule.a=block ip 192.0.2.1\n");
    live = LivePolicy.open(ConfigSource.file(config), Map.of(), CLOCK, () -> 0L, feeds, null, new byte[32],
        listener());
    Policy first = live.current();
    assertThat(inForce).containsExactly(first);

    Files.writeString(config, "gatehouse.access-rule.a=block ip 192.0.2.1\ngatehouse.mode=simulate\n");
    failing.set(true);
    ReloadResult r = live.reload(false);
    assertThat(r.applied()).isFalse();
    assertThat(r.problems()).extracting(ConfigException.Problem::toString).containsExactly(
        config + ": could not be applied: java.lang.IllegalStateException: cannot size the tracker");
    assertThat(live.current()).isSameAs(first);
    assertThat(inForce).containsExactly(first);

    failing.set(false);
    assertThat(live.reload(false).applied()).isTrue();
    assertThat(inForce).hasSize(2).last().isSameAs(live.current());
  }

  @Test
  void aFirstPolicyThatCannotBeReadiedIsAConfigurationProblemNotACrash() {
    failing.set(true);
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> LivePolicy.open(ConfigSource.text("t.properties", "gatehouse.mode=enforce\n"), Map.of(),
            CLOCK, () -> 0L, feeds, null, new byte[32], listener()))
        .satisfies(e -> assertThat(e.problems()).extracting(ConfigException.Problem::toString)
            .containsExactly("t.properties: could not be applied: java.lang.IllegalStateException: cannot size the"
                + " tracker"));
    assertThat(inForce).isEmpty();
  }
}
