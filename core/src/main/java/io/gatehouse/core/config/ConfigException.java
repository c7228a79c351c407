package io.gatehouse.core.config;

import java.util.List;

/** A configuration that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(format(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a configuration exception needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** A single problem not tied to a line (an unreadable file, say). */
  public static ConfigException of(String file, String message) {
    return new ConfigException(List.of(new ConfigProblem(file, 0, "", message)));
  }

  /** Every problem, in the order found. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String format(List<ConfigProblem> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append(problems.size() == 1 ? "1 configuration problem:" : problems.size() + " configuration problems:");
    for (ConfigProblem p : problems) {
      sb.append('\n').append(p);
    }
    return sb.toString();
  }
}
