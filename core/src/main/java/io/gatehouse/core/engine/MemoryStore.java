package io.gatehouse.core.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A {@link Engine.StateStore} in this process's memory, shared by every instance that is given it: the
 * reference for other stores, and two instances in one test without a server. Announcements reach the
 * listeners on a thread of the store's own, as a real store's would. Claims and counters never expire
 * here (a test's store lives for the test), and closing does nothing, since
 * other instances may still use it; its thread is a daemon. Thread-safe: every operation holds the store's lock.
 */
final class MemoryStore implements Engine.StateStore {

  private final List<Engine.StateStore.Listener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService announcer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "gatehouse-memory-store");
    t.setDaemon(true);
    return t;
  });
  private Map<String, String> rules;
  private long version;
  private final String epoch = Long.toHexString(System.nanoTime());
  private final Deque<String> events = new ArrayDeque<>();
  private final Map<String, Boolean> claims = new LinkedHashMap<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();

  @Override
  public void start(Listener listener) {
    listeners.add(listener);
    announcer.execute(listener::up);
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public synchronized CompletionStage<Optional<Map<String, String>>> rules() {
    return CompletableFuture.completedFuture(Optional.ofNullable(rules).map(LinkedHashMap::new));
  }

  @Override
  public synchronized CompletionStage<String> rulesVersion() {
    return CompletableFuture.completedFuture(rules == null ? "" : epoch + "-" + version);
  }

  @Override
  public CompletionStage<Void> changeRules(Map<String, String> put, Set<String> remove) {
    synchronized (this) {
      if (rules == null) {
        rules = new LinkedHashMap<>();
      }
      rules.putAll(put);
      remove.forEach(rules::remove);
      version++;
    }
    announce(Listener::rulesChanged);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Boolean> seedRules(Map<String, String> seed) {
    synchronized (this) {
      if (rules != null) {
        return CompletableFuture.completedFuture(false);
      }
      rules = new LinkedHashMap<>(seed);
      version++;
    }
    announce(Listener::rulesChanged);
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized CompletionStage<Void> appendEvents(List<String> appended, int keep) {
    appended.forEach(events::addFirst);
    while (events.size() > keep) {
      events.removeLast();
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<List<String>> recentEvents(int limit) {
    return CompletableFuture.completedFuture(events.stream().limit(limit).toList());
  }

  @Override
  public synchronized CompletionStage<Boolean> claim(String key, Duration lasts) {
    return CompletableFuture.completedFuture(claims.putIfAbsent(key, Boolean.TRUE) == null);
  }

  @Override
  public CompletionStage<Void> broadcast(List<String> messages) {
    List<String> copy = List.copyOf(messages);
    announce(l -> l.received(copy));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<long[]> addCounts(List<String> keys, long[] amounts, Duration lasts) {
    long[] totals = new long[keys.size()];
    for (int i = 0; i < totals.length; i++) {
      totals[i] = counts.merge(keys.get(i), amounts[i], Long::sum);
    }
    return CompletableFuture.completedFuture(totals);
  }

  private void announce(Consumer<Listener> call) {
    List<Listener> now = new ArrayList<>(listeners);
    announcer.execute(() -> now.forEach(call));
  }

  /** Does nothing: the instances sharing this store close it one by one, and the others go on using it. */
  @Override
  public void close() {}
}
