package io.gatehouse.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration when one of its files changes: the properties file, the managed rules file,
 * templates and data files. Polls the files' size and modification time on a background thread rather
 * than using a file-system watch service, which misses changes on network and container file systems
 * and on the symbolic-link swaps that Kubernetes uses for mounted configuration. Polling a handful of
 * file attributes every few seconds costs nothing measurable.
 */
final class ConfigWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

  private final Gatehouse gatehouse;
  private final ScheduledExecutorService scheduler;
  private List<FileStamp> lastSeen;

  ConfigWatcher(Gatehouse gatehouse) {
    this.gatehouse = gatehouse;
    this.lastSeen = gatehouse.stampsOfLastLoad();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-config-watch");
      t.setDaemon(true);
      return t;
    });
    schedule();
  }

  private void schedule() {
    Duration interval = gatehouse.policy().reloadInterval();
    if (interval == null || scheduler.isShutdown()) {
      return;
    }
    try {
      scheduler.schedule(this::check, interval.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void check() {
    try {
      List<String> changed = new ArrayList<>();
      for (FileStamp before : lastSeen) {
        if (!FileStamp.of(before.path()).equals(before)) {
          changed.add(before.path().toString());
        }
      }
      if (!changed.isEmpty()) {
        LOG.info("reloading: changed {}", changed);
        gatehouse.reload();
        // Whether or not the reload was applied, watch what it read, as it was when read: a fix to a file
        // that only the rejected configuration named is picked up too.
        lastSeen = gatehouse.stampsOfLastLoad();
      }
    } catch (RuntimeException e) {
      LOG.warn("configuration watch failed; will try again", e);
    } finally {
      schedule();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
