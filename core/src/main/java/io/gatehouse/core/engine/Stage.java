package io.gatehouse.core.engine;

import io.gatehouse.core.Phase;

/**
 * One phase of the decision pipeline, compiled for one policy. Stages are immutable and shared by all
 * request threads; what a request accumulates lives on its {@link Evaluation}, and what a stage needs
 * from the policy it is given when built.
 */
abstract class Stage {

  private final Phase phase;

  Stage(Phase phase) {
    this.phase = phase;
  }

  final Phase phase() {
    return phase;
  }

  /**
   * Judges the request: a verdict ends evaluation (unless it says to go on), {@code null} goes on to the
   * next phase. Never blocks, and is not expected to throw; if it does, the engine applies
   * {@code gatehouse.on-error} and names this phase.
   */
  abstract Verdict evaluate(Evaluation ev);
}
