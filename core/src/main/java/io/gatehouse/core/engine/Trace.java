package io.gatehouse.core.engine;

import io.gatehouse.core.Explanation;
import io.gatehouse.core.Phase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the pipeline and its phases report while a request is explained: each phase's outcome and notes.
 * Only explain makes one; on the request path there is none and phases build no notes.
 */
final class Trace {

  private final Map<Phase, List<String>> notes = new EnumMap<>(Phase.class);
  private final Map<Phase, String> outcomes = new EnumMap<>(Phase.class);

  void note(Phase phase, String text) {
    notes.computeIfAbsent(phase, p -> new ArrayList<>()).add(text);
  }

  void outcome(Phase phase, String outcome) {
    outcomes.put(phase, outcome);
  }

  /** Sets the outcome unless the phase already gave a more precise one. */
  void defaultOutcome(Phase phase, String outcome) {
    outcomes.putIfAbsent(phase, outcome);
  }

  List<Explanation.PhaseTrace> phases() {
    List<Explanation.PhaseTrace> out = new ArrayList<>();
    for (Phase p : Phase.values()) {
      out.add(new Explanation.PhaseTrace(p.id(), outcomes.getOrDefault(p, "not reached"),
          List.copyOf(notes.getOrDefault(p, List.of()))));
    }
    return out;
  }
}
