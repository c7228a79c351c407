package io.gatehouse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Action;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link FloodFootprint} with a few thousand addresses, so that the program keeps working and the
 * components it measures are still where it looks for them. A small flood fills no bound, so the figure
 * is checked against the limit only as a smoke test; the README gives the full run's.
 */
class FloodFootprintTest {

  @Test
  void aSmallFloodIsMeasuredComponentByComponent() throws Exception {
    FloodFootprint.Report r = FloodFootprint.run(4_000);

    assertThat(r.outcomes()).containsOnlyKeys(Action.ALLOW, Action.BLOCK, Action.CHALLENGE);
    assertThat(r.components()).allSatisfy(c -> assertThat(c.bytesAfter()).isGreaterThanOrEqualTo(c.bytesBefore()));
    assertThat(r.component("events").entries()).isPositive();
    assertThat(r.component("behaviour").entries()).isPositive();
    assertThat(r.component("challenge state").entries()).isPositive();
    assertThat(r.added()).isPositive().isLessThanOrEqualTo(FloodFootprint.LIMIT_BYTES);
    // The event log's estimate errs high, and not by much.
    long measured = r.component("events").bytesAfter();
    assertThat(r.eventsEstimate()).isBetween(measured, measured + measured / 10);
  }
}
