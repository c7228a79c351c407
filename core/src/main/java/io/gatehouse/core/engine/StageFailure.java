package io.gatehouse.core.engine;

import io.gatehouse.core.Phase;

/** An unexpected exception or error in one phase, carrying the phase so that the event can name it. */
final class StageFailure extends RuntimeException {

  private final Phase phase;

  StageFailure(Phase phase, Throwable cause) {
    super("internal error in " + phase.id(), cause, false, false);
    this.phase = phase;
  }

  Phase phase() {
    return phase;
  }
}
