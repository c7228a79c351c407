package io.gatehouse.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects configuration problems so that all of them are reported at once. Not thread-safe. */
public final class ConfigProblems {

  private final List<ConfigProblem> problems = new ArrayList<>();

  /** Records a problem with an entry. */
  public void add(ConfigEntry entry, String message) {
    problems.add(new ConfigProblem(entry.file(), entry.line(), entry.key(), message));
  }

  /**
   * Records a problem at a position inside an entry's value: {@code offset} is the 1-based position in the
   * value, reported as a column of the file when the value's column is known; {@code detail} is shown
   * under the message.
   */
  public void add(ConfigEntry entry, int offset, String message, String detail) {
    int column = entry.valueColumn() > 0 && offset > 0 ? entry.valueColumn() + offset - 1 : offset;
    problems.add(new ConfigProblem(entry.file(), entry.line(), column, entry.key(), message, detail));
  }

  /** Records a problem at a place. */
  public void add(String file, int line, String key, String message) {
    problems.add(new ConfigProblem(file, line, key, message));
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public int size() {
    return problems.size();
  }

  public List<ConfigProblem> list() {
    return List.copyOf(problems);
  }

  /**
   * Throws a {@link ConfigException} holding every problem, if there is any, in reading order: by file
   * (in the order files were first mentioned), then by line.
   */
  public void throwIfAny() throws ConfigException {
    if (!problems.isEmpty()) {
      List<String> files = problems.stream().map(ConfigProblem::file).distinct().toList();
      List<ConfigProblem> sorted = new ArrayList<>(problems);
      sorted.sort(Comparator.comparingInt((ConfigProblem p) -> files.indexOf(p.file()))
          .thenComparingInt(ConfigProblem::line));
      throw new ConfigException(sorted);
    }
  }
}
