package io.gatehouse.core;

/**
 * One phase of the decision pipeline, compiled for one policy. Stages are immutable and shared by all
 * request threads; everything a request accumulates lives on its {@link Evaluation}.
 */
interface Stage {

  Phase phase();

  /**
   * Judges the request: a verdict ends evaluation, {@code null} goes on to the next phase. Never
   * blocks, and is not expected to throw; if it does, the engine applies {@code gatehouse.on-error}.
   */
  Verdict evaluate(Evaluation evaluation);
}
