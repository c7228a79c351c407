package io.gatehouse.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.event.Level;

/**
 * Every log record written through SLF4J during a test run, kept so tests can assert on real log
 * lines (the {@code gatehouse.events} line that carries a Ray ID, say). Installed as the SLF4J
 * provider of the test classpath by {@link CapturingServiceProvider}.
 */
public final class CapturedLogs {

  /**
   * One record.
   *
   * @param logger the logger's name
   * @param level its level
   * @param message the formatted message
   * @param keyValues the fluent API's key-value pairs, in order
   * @param thrown the throwable, or null
   */
  public record Entry(String logger, Level level, String message, Map<String, Object> keyValues, Throwable thrown) {}

  private static final List<Entry> ENTRIES = new CopyOnWriteArrayList<>();

  private CapturedLogs() {}

  static void add(Entry e) {
    ENTRIES.add(e);
    if (ENTRIES.size() > 200_000) {
      ENTRIES.subList(0, 100_000).clear();
    }
  }

  public static List<Entry> all() {
    return List.copyOf(ENTRIES);
  }

  /** Records on {@code logger} that satisfy {@code filter}. */
  public static List<Entry> find(String logger, Predicate<Entry> filter) {
    return ENTRIES.stream().filter(e -> e.logger().equals(logger)).filter(filter).toList();
  }

  /** The {@code gatehouse.events} records whose {@code ray_id} is {@code rayId}. */
  public static List<Entry> eventLines(String rayId) {
    return find("gatehouse.events", e -> rayId.equals(e.keyValues().get("ray_id")));
  }
}
