package io.gatehouse.servlet;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.Source;
import io.gatehouse.core.Status;
import io.gatehouse.core.reputation.FeedRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Gatehouse's Micrometer meters:
 *
 * <ul>
 *   <li>{@code gatehouse.decisions} — counter of decisions, tagged {@code action} ({@code allow},
 *       {@code block}, {@code challenge}), {@code source} ({@code none}, {@code access_rules}, ...) and
 *       {@code code} (the error code, {@code 0} for allow)
 *   <li>{@code gatehouse.decide} — timer of the engine's decision for each request
 *   <li>{@code gatehouse.access.rules}, {@code gatehouse.feed.entries} (tag {@code feed}),
 *       {@code gatehouse.tracked.addresses}, {@code gatehouse.events.held} — gauges
 *   <li>{@code gatehouse.internal.failures} — counter of internal failures
 * </ul>
 *
 * <p>Spring Boot binds it through the starter. Elsewhere, a filter built from {@code web.xml} binds it to
 * {@link Metrics#globalRegistry} when Micrometer is on the classpath; a filter built in code takes one
 * with {@link GatehouseFilter#withMetrics}: {@code new GatehouseFilter(g).withMetrics(new
 * GatehouseMetrics(g))}, bound to a registry with {@link #bindTo}.
 *
 * <p>Counters are looked up once per kind of decision and kept, so counting a request is one add.
 * Gauges read one status snapshot a second at most. Thread-safe; bind it to one registry.
 */
public final class GatehouseMetrics implements MeterBinder, DecisionMeter {

  private static final long SNAPSHOT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Gatehouse gatehouse;
  private final ConcurrentHashMap<Long, Counter> counters = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;
  private volatile Timer timer;
  private volatile Counter allowed; // the common case, without a map lookup
  private volatile Status snapshot;
  private volatile long snapshotAt;

  public GatehouseMetrics(Gatehouse gatehouse) {
    this.gatehouse = gatehouse;
  }

  static GatehouseMetrics bindGlobal(Gatehouse gatehouse) {
    GatehouseMetrics m = new GatehouseMetrics(gatehouse);
    m.bindTo(Metrics.globalRegistry);
    return m;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    timer = Timer.builder("gatehouse.decide").description("Time the engine took to decide a request")
        .register(registry);
    allowed = null;
    counters.clear();
    gauge(registry, "gatehouse.access.rules", "IP Access Rules loaded", s -> s.accessRules());
    gauge(registry, "gatehouse.tracked.addresses", "Addresses whose behaviour is tracked (an estimate)",
        s -> s.trackedAddresses());
    gauge(registry, "gatehouse.events.held", "Security events held in memory", s -> s.eventsHeld());
    FunctionCounter.builder("gatehouse.internal.failures", this, m -> m.status().internalFailures())
        .description("Internal failures of the engine since start").register(registry);
    // Not through the snapshot: a gauge read right after binding must see the state of then.
    for (FeedRegistry.Status f : gatehouse.status().feeds()) {
      String name = f.name();
      Gauge.builder("gatehouse.feed.entries", this, m -> feedEntries(m.status(), name)).tag("feed", name)
          .description("Entries of a reputation feed").register(registry);
    }
  }

  private void gauge(MeterRegistry r, String name, String description, ToDoubleFunction<Status> f) {
    Gauge.builder(name, this, m -> f.applyAsDouble(m.status())).description(description).register(r);
  }

  private static double feedEntries(Status s, String name) {
    for (FeedRegistry.Status f : s.feeds()) {
      if (f.name().equals(name)) {
        return f.entries();
      }
    }
    return Double.NaN;
  }

  /** A status snapshot at most a second old: a scrape reads several gauges. */
  private Status status() {
    long now = System.nanoTime();
    Status s = snapshot;
    if (s == null || now - snapshotAt > SNAPSHOT_NANOS) {
      s = gatehouse.status();
      snapshot = s;
      snapshotAt = now;
    }
    return s;
  }

  @Override
  public void record(Decision d, long nanos) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
    if (d.errorCode() == 0 && d.action() == Action.ALLOW && d.source() == Source.NONE) {
      Counter c = allowed;
      if (c == null) {
        c = counter(r, d);
        allowed = c;
      }
      c.increment();
      return;
    }
    long key = ((long) d.action().ordinal() << 48) | ((long) d.source().ordinal() << 32) | (d.errorCode() & 0xffffffffL);
    counters.computeIfAbsent(key, k -> counter(r, d)).increment();
  }

  private static Counter counter(MeterRegistry r, Decision d) {
    return Counter.builder("gatehouse.decisions").description("Decisions, by action, source and error code")
        .tag("action", d.action().id()).tag("source", d.source().id())
        .tag("code", Integer.toString(d.errorCode())).register(r);
  }
}
