package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration changes take effect while requests are being judged, atomically, without restarts. */
class ReloadTest {

  private static Decision decide(Gatehouse g, String ip) {
    return g.decide(io.gatehouse.testing.Requests.browser(ip).build());
  }

  /** Waits for a condition that a background reload makes true; fails after 15 s. */
  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the change was not picked up within 15 s");
      }
      Thread.sleep(50);
    }
  }

  private static void replace(Path file, String content) throws Exception {
    // Write beside and rename, as deployment tools do, so the watcher never sees a half-written file.
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void changesToThePropertiesAndTheManagedRulesFileAreWatched(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Path rules = dir.resolve("rules.json");
    Files.writeString(config, """
        gatehouse.reload.interval=100ms
        gatehouse.access-rules.file=rules.json
        gatehouse.access-rule.a=block ip 203.0.113.0/24
        """);
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).build()) {
      assertThat(decide(g, "203.0.113.1").action()).isEqualTo(Action.BLOCK);

      replace(config, """
          gatehouse.reload.interval=100ms
          gatehouse.access-rules.file=rules.json
          gatehouse.access-rule.a=block ip 198.51.100.0/24
          """);
      eventually(() -> decide(g, "198.51.100.1").action() == Action.BLOCK);
      assertThat(decide(g, "203.0.113.1").action()).isEqualTo(Action.ALLOW);

      // The managed file did not exist; creating it is a change too.
      replace(rules, "{\"rules\": [{\"id\": \"m1\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.7\"}]}");
      eventually(() -> decide(g, "192.0.2.7").action() == Action.BLOCK);

      // A broken change keeps the running rules...
      replace(rules, "{\"rules\": [{\"id\": \"m1\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.999\"}]}");
      Thread.sleep(500);
      assertThat(decide(g, "192.0.2.7").action()).isEqualTo(Action.BLOCK);
      // ...and fixing it applies the fix.
      replace(rules, "{\"rules\": [{\"id\": \"m1\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.8\"}]}");
      eventually(() -> decide(g, "192.0.2.8").action() == Action.BLOCK);
      assertThat(decide(g, "192.0.2.7").action()).isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void aFixInAFileThatOnlyTheRejectedConfigurationNamedIsPickedUp(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, "gatehouse.reload.interval=100ms\n");
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).build()) {
      Files.writeString(dir.resolve("rules.json"), "{\"rules\": [{\"id\": \"x\"}]}");
      replace(config, "gatehouse.reload.interval=100ms\ngatehouse.access-rules.file=rules.json\n");
      Thread.sleep(500);
      assertThat(g.policy().accessRulesFile()).as("rejected: the rule is incomplete").isNull();
      replace(dir.resolve("rules.json"),
          "{\"rules\": [{\"id\": \"x\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.1\"}]}");
      eventually(() -> decide(g, "192.0.2.1").action() == Action.BLOCK);
    }
  }

  @Test
  void requestsDuringRepeatedReloadsAreEachJudgedByOneWholePolicy(@TempDir Path dir) throws Exception {
    // Version k blocks 10.0.0.k and names itself node vk: a block whose Ray ID ends in another
    // version's name would be a decision made by half of one policy and half of another.
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, version(0));
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build()) {
      AtomicBoolean stop = new AtomicBoolean();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      AtomicLong decisions = new AtomicLong();
      AtomicLong blocks = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread thread = new Thread(() -> {
          int k = 0;
          while (!stop.get()) {
            k = (k + 1) % 8;
            Decision d = decide(g, "10.0.0." + k);
            decisions.incrementAndGet();
            if (d.source() == Source.INTERNAL_ERROR) {
              wrong.add("internal error");
            } else if (d.action() == Action.BLOCK) {
              blocks.incrementAndGet();
              if (!d.rayId().endsWith("-v" + k) || !d.ruleId().equals("r" + k)) {
                wrong.add("10.0.0." + k + " blocked by " + d.ruleId() + " with " + d.rayId());
              }
            }
          }
        });
        thread.start();
        threads.add(thread);
      }
      int applied = 0;
      for (int i = 1; i <= 200; i++) {
        replace(config, version(i % 8));
        if (g.reload().applied()) {
          applied++;
        }
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(wrong).isEmpty();
      assertThat(applied).isEqualTo(200);
      assertThat(decisions.get()).isGreaterThan(1000);
      assertThat(blocks.get()).isGreaterThan(0);
      assertThat(g.internalFailures()).isZero();
    }
  }

  private static String version(int k) {
    return "gatehouse.node-id=v" + k + "\ngatehouse.access-rule.r" + k + "=block ip 10.0.0." + k + "\n";
  }
}
