package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration changes take effect while requests are being judged, atomically, without restarts. */
class ReloadTest {

  private static Decision decide(Gatehouse g, String ip) {
    return g.decide(io.gatehouse.testing.Requests.browser(ip).build());
  }

  /** Reloads as the watcher reports them; a test takes each one it expects, so a watcher that never runs fails. */
  private static final class Reloads {
    private final BlockingQueue<ReloadResult> heard = new LinkedBlockingQueue<>();

    Gatehouse.Builder watching(Path config) {
      return Gatehouse.builder().config(ConfigSource.file(config)).onReload(heard::add);
    }

    /** The next reload the watcher made; fails when none comes within 15 s. */
    ReloadResult next() throws InterruptedException {
      ReloadResult r = heard.poll(15, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError("the watcher reloaded nothing within 15 s");
      }
      return r;
    }

    /** Waits for the next applied reload. */
    void applied() throws InterruptedException {
      ReloadResult r = next();
      assertThat(r.applied()).as("reload applied: %s", r.problems()).isTrue();
    }

    /** Waits for the next rejected reload. */
    void rejected() throws InterruptedException {
      ReloadResult r = next();
      assertThat(r.applied()).as("reload rejected").isFalse();
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
    Reloads reloads = new Reloads();
    try (Gatehouse g = reloads.watching(config).build()) {
      assertThat(decide(g, "203.0.113.1").action()).isEqualTo(Action.BLOCK);

      replace(config, """
          gatehouse.reload.interval=100ms
          gatehouse.access-rules.file=rules.json
          gatehouse.access-rule.a=block ip 198.51.100.0/24
          """);
      reloads.applied();
      assertThat(decide(g, "198.51.100.1").action()).isEqualTo(Action.BLOCK);
      assertThat(decide(g, "203.0.113.1").action()).isEqualTo(Action.ALLOW);

      // The managed file did not exist; creating it is a change too.
      replace(rules, "{\"rules\": [{\"id\": \"m1\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.7\"}]}");
      reloads.applied();
      assertThat(decide(g, "192.0.2.7").action()).isEqualTo(Action.BLOCK);

      // A broken change keeps the running rules...
      replace(rules, "{\"rules\": [{\"id\": \"m1\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.999\"}]}");
      reloads.rejected();
      assertThat(decide(g, "192.0.2.7").action()).isEqualTo(Action.BLOCK);
      // ...and fixing it applies the fix.
      replace(rules, "{\"rules\": [{\"id\": \"m1\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.8\"}]}");
      reloads.applied();
      assertThat(decide(g, "192.0.2.8").action()).isEqualTo(Action.BLOCK);
      assertThat(decide(g, "192.0.2.7").action()).isEqualTo(Action.ALLOW);
    }
  }

  @Test
  void aFixInAFileThatOnlyTheRejectedConfigurationNamedIsPickedUp(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, "gatehouse.reload.interval=100ms\n");
    Reloads reloads = new Reloads();
    try (Gatehouse g = reloads.watching(config).build()) {
      Files.writeString(dir.resolve("rules.json"), "{\"rules\": [{\"id\": \"x\"}]}");
      replace(config, "gatehouse.reload.interval=100ms\ngatehouse.access-rules.file=rules.json\n");
      reloads.rejected();
      assertThat(g.status().accessRulesFile()).as("rejected: the rule is incomplete").isEmpty();
      replace(dir.resolve("rules.json"),
          "{\"rules\": [{\"id\": \"x\", \"action\": \"block\", \"target\": \"ip\", \"value\": \"192.0.2.1\"}]}");
      reloads.applied();
      assertThat(decide(g, "192.0.2.1").action()).isEqualTo(Action.BLOCK);
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
