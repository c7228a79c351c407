package io.gatehouse.core.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration when one of its files changes: the properties file, the managed rules file,
 * templates and data files. Polls the files' size and modification time on the scheduler it is given
 * rather than using a file-system watch service, which misses changes on network and container file
 * systems and on the symbolic-link swaps that Kubernetes uses for mounted configuration. Polling a
 * handful of file attributes every few seconds costs nothing measurable.
 *
 * <p>A change is reloaded only once it has settled: the files must look the same (size and modification
 * time) on two looks in a row, so that a file still being written is not read half done.
 */
final class ConfigWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final ScheduledExecutorService scheduler;
  private final Supplier<Duration> interval;
  private final Supplier<List<FileStamp>> stamps;
  private final Runnable reload;
  private volatile boolean closed;
  private List<FileStamp> lastSeen;
  // The files as the last look found them changed, waiting to be seen the same once more; or null.
  private List<FileStamp> settling;

  /**
   * @param interval how long to wait before the next look; {@code null} stops watching
   * @param stamps the files the last load or reload read, as they were then
   * @param reload reloads the configuration
   */
  ConfigWatcher(ScheduledExecutorService scheduler, Supplier<Duration> interval, Supplier<List<FileStamp>> stamps,
      Runnable reload) {
    this.scheduler = scheduler;
    this.interval = interval;
    this.stamps = stamps;
    this.reload = reload;
    this.lastSeen = stamps.get();
  }

  /** Starts watching: the first look is one interval from now. */
  void start() {
    schedule();
  }

  private void schedule() {
    Duration next = interval.get();
    if (next == null || closed) {
      return;
    }
    try {
      scheduler.schedule(this::check, next.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The scheduler was shut down: nothing more to watch.
    }
  }

  /** One look at the files; reloads if any changed and they are as the previous look found them. */
  void check() {
    try {
      List<String> changed = new ArrayList<>();
      List<FileStamp> now = new ArrayList<>(lastSeen.size());
      for (FileStamp before : lastSeen) {
        FileStamp stamp = FileStamp.of(before.path());
        now.add(stamp);
        if (!stamp.equals(before)) {
          changed.add(before.path().toString());
        }
      }
      if (changed.isEmpty()) {
        settling = null;
      } else if (!now.equals(settling)) {
        // Changed since the last look, or changed again: wait for one more look without change.
        settling = now;
        LOG.debug("changed {}; reloading once they stay the same", changed);
      } else if (!closed) {
        settling = null;
        LOG.info("reloading: changed {}", changed);
        reload.run();
        // Whether or not the reload was applied, watch what it read, as it was when read: a fix to a file
        // that only the rejected configuration named is picked up too.
        lastSeen = stamps.get();
      }
    } catch (RuntimeException e) {
      LOG.warn("configuration watch failed; will try again", e);
    } finally {
      schedule();
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
