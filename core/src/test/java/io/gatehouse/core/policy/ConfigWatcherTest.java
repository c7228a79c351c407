package io.gatehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher is driven look by look here: its scheduler never fires within a test. */
class ConfigWatcherTest {

  private final ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger reloads = new AtomicInteger();

  @AfterEach
  void stop() {
    idle.shutdownNow();
  }

  /** A watcher of one file whose reload reads it afresh, as a load stamps what it read. */
  private ConfigWatcher watching(Path file) {
    return new ConfigWatcher(idle, () -> Duration.ofHours(1), () -> List.of(FileStamp.of(file)),
        reloads::incrementAndGet);
  }

  @Test
  void aChangeIsReloadedOnlyOnceTwoLooksInARowSeeTheSameFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gatehouse.properties");
    Files.writeString(file, "gatehouse.mode=enforce\n");
    ConfigWatcher w = watching(file);

    w.check();
    assertThat(reloads).as("nothing changed").hasValue(0);

    Files.writeString(file, "gatehouse.mode=enforce\ngatehouse.access-rule.a=block ip 192.0.2.1\n");
    w.check();
    assertThat(reloads).as("changed, not yet settled").hasValue(0);
    w.check();
    assertThat(reloads).as("the same on the next look: settled").hasValue(1);
    w.check();
    assertThat(reloads).as("reloaded once").hasValue(1);
  }

  @Test
  void aFileStillGrowingIsNotReloadedUntilItStops(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gatehouse.properties");
    Files.writeString(file, "gatehouse.mode=enforce\n");
    ConfigWatcher w = watching(file);
    StringBuilder text = new StringBuilder("gatehouse.mode=enforce\n");
    for (int i = 0; i < 5; i++) {
      text.append("gatehouse.access-rule.r").append(i).append("=block ip 192.0.2.").append(i + 1).append('\n');
      Files.writeString(file, text);
      w.check();
      assertThat(reloads).as("still being written after %d lines", i + 1).hasValue(0);
    }
    w.check();
    assertThat(reloads).hasValue(1);
  }

  @Test
  void aClosedWatcherReloadsNothing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gatehouse.properties");
    Files.writeString(file, "gatehouse.mode=enforce\n");
    ConfigWatcher w = watching(file);
    Files.writeString(file, "gatehouse.mode=simulate\n");
    w.check();
    w.close();
    w.check();
    assertThat(reloads).hasValue(0);
  }
}
