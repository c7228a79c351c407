package io.gatehouse.servlet;

import io.gatehouse.core.Decision;

/** Where the filter reports each decision and how long it took; nothing unless meters are bound. */
interface DecisionMeter {

  DecisionMeter NONE = (decision, nanos) -> {};

  void record(Decision decision, long nanos);

  /**
   * The meters on Micrometer's global registry, for a filter built from {@code web.xml}, where nobody else
   * binds them; nothing where Micrometer is absent. {@link GatehouseMetrics} is named only behind the check,
   * so without Micrometer it is never loaded.
   */
  static DecisionMeter global(io.gatehouse.core.Gatehouse gatehouse) {
    try {
      Class.forName("io.micrometer.core.instrument.Metrics", false, DecisionMeter.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return NONE;
    }
    return GatehouseMetrics.bindGlobal(gatehouse);
  }
}
