package io.gatehouse.core;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.rules.AccessRule;
import java.util.List;

/**
 * The outcome of adding or removing an access rule at run time.
 *
 * @param status an HTTP-like status: 200 or 201 done, 400 a bad rule, 404 no such rule, 409 not possible
 *     here, 422 the configuration would not load with the change (nothing was changed)
 * @param rule the rule added or removed, or {@code null}
 * @param error what went wrong, or {@code null}
 * @param problems configuration problems, for 422
 */
public record RuleChange(int status, AccessRule rule, String error, List<ConfigException.Problem> problems) {

  public RuleChange {
    problems = List.copyOf(problems);
  }

  public static RuleChange done(int status, AccessRule rule) {
    return new RuleChange(status, rule, null, List.of());
  }

  public static RuleChange refused(int status, String error) {
    return new RuleChange(status, null, error, List.of());
  }

  public boolean ok() {
    return status < 300;
  }
}
