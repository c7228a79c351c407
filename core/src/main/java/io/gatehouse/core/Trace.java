package io.gatehouse.core;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The notes phases leave while a request is explained. Only explain makes one; on the request path
 * {@link Evaluation#trace} is null and phases skip building their notes.
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
