package io.gatehouse.core.engine;

import io.gatehouse.core.Action;
import io.gatehouse.core.Phase;
import io.gatehouse.core.policy.Policy;
import io.gatehouse.core.rules.CustomRule;
import io.gatehouse.core.rules.RuleAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The phases a policy runs, in order, and the loop that runs them: the first verdict that ends
 * evaluation and is not a challenge the visitor's clearance satisfies decides. An exception in a phase
 * comes out as a {@link StageFailure} naming the phase. Immutable; built once per policy.
 */
final class Pipeline {

  private final Stage[] stages;

  Pipeline(List<Stage> stages) {
    this.stages = stages.toArray(new Stage[0]);
  }

  /** The stages of {@code p}: a phase with nothing configured is left out, so it costs nothing. */
  static Pipeline of(Policy p, Engine.State state) {
    List<CustomRule> custom = p.rules().custom();
    List<Stage> stages = new ArrayList<>();
    if (!p.rules().configuration().isEmpty()) {
      stages.add(new ConfigurationRulesStage(p.rules().configuration()));
    }
    stages.add(new AccessRulesStage(p.accessRules(), custom.stream()
        .filter(r -> r.action() == RuleAction.SKIP && r.skips().contains(Phase.ACCESS_RULES)).toList()));
    if (!custom.isEmpty()) {
      stages.add(new CustomRulesStage(custom));
    }
    if (!p.rules().rateLimits().isEmpty()) {
      stages.add(new RateLimitStage(p.rules().rateLimits(), state.rateCounters(p.rules().rateLimitKeys()), state));
    }
    stages.add(new BrowserIntegrityStage(p.bots().check()));
    stages.add(new SecurityLevelStage(p.reputation()));
    return new Pipeline(stages);
  }

  /** The rate limiting stage, or {@code null} when no rate limiting rule is configured. */
  RateLimitStage rateLimits() {
    for (Stage s : stages) {
      if (s instanceof RateLimitStage r) {
        return r;
      }
    }
    return null;
  }

  List<Phase> phases() {
    return Arrays.stream(stages).map(Stage::phase).toList();
  }

  /**
   * Runs the phases over {@code ev}, reporting each outcome to its trace when it has one.
   *
   * @return the deciding verdict, an allow that let the remaining phases run, or {@code null}
   * @throws StageFailure when a phase failed
   */
  Verdict run(Evaluation ev) {
    Verdict goingOn = null;
    Trace trace = ev.trace();
    for (Stage stage : stages) {
      Phase phase = stage.phase();
      if (ev.skips(phase)) {
        if (trace != null) {
          trace.outcome(phase, "skipped");
        }
        continue;
      }
      Verdict verdict;
      try {
        verdict = stage.evaluate(ev);
      } catch (RuntimeException | StackOverflowError e) {
        throw new StageFailure(phase, e);
      }
      if (verdict == null) {
        if (trace != null) {
          trace.defaultOutcome(phase, "no match");
        }
        continue;
      }
      if (!verdict.ends()) {
        goingOn = verdict;
        if (trace != null) {
          trace.defaultOutcome(phase, "no match");
        }
        continue;
      }
      if (verdict.action() == Action.CHALLENGE && ev.cleared()) {
        // A clearance satisfies a challenge (never a block): the request goes on to the next phase.
        if (trace != null) {
          trace.outcome(phase, "challenge (cleared)");
        }
        continue;
      }
      if (trace != null) {
        trace.outcome(phase, verdict.action().id());
        if (verdict.action() == Action.ALLOW) {
          for (Stage rest : stages) {
            if (rest.phase().ordinal() > phase.ordinal()) {
              trace.outcome(rest.phase(), "skipped");
              trace.note(rest.phase(), "skipped: rule '" + verdict.ruleId() + "' allowed the request");
            }
          }
        }
      }
      return verdict;
    }
    return goingOn;
  }
}
