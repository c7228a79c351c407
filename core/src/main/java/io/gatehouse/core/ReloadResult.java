package io.gatehouse.core;

import io.gatehouse.core.config.ConfigException;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a reload.
 *
 * @param applied whether the new configuration now decides requests
 * @param problems what was wrong, when it was not applied (then the running configuration stays)
 * @param at when the reload was attempted
 */
public record ReloadResult(boolean applied, List<ConfigException.Problem> problems, Instant at) {

  public ReloadResult {
    problems = List.copyOf(problems);
  }
}
