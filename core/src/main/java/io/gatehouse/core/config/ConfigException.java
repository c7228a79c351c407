package io.gatehouse.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A configuration that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public ConfigException(List<Problem> problems) {
    super(format(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a configuration exception needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** A single problem not tied to a line (an unreadable file, say). */
  public static ConfigException of(String file, String message) {
    return new ConfigException(List.of(new Problem(file, 0, "", message)));
  }

  /** Every problem, in the order found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String format(List<Problem> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append(problems.size() == 1 ? "1 configuration problem:" : problems.size() + " configuration problems:");
    for (Problem p : problems) {
      sb.append('\n').append(p);
    }
    return sb.toString();
  }

  /**
   * One thing wrong with a configuration.
   *
   * @param file the file's name as shown in messages
   * @param line the line, from 1, or 0 when the problem is not on one line
   * @param column the column, from 1, or 0 when the problem is the whole value
   * @param key the key concerned, or {@code ""}
   * @param message what is wrong
   * @param detail more lines shown under the message (an expression and a caret under the problem), or
   *     {@code ""}
   */
  public record Problem(String file, int line, int column, String key, String message, String detail) {

    public Problem(String file, int line, String key, String message) {
      this(file, line, 0, key, message, "");
    }

    /** {@code file:line[:column]: key: message}, leaving out the parts that are absent, then the detail. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(file);
      if (line > 0) {
        sb.append(':').append(line);
        if (column > 0) {
          sb.append(':').append(column);
        }
      }
      sb.append(": ");
      if (!key.isEmpty()) {
        sb.append(key).append(": ");
      }
      sb.append(message);
      if (!detail.isEmpty()) {
        sb.append('\n').append(detail);
      }
      return sb.toString();
    }
  }

  /** Collects configuration problems so that all of them are reported at once. Not thread-safe. */
  public static final class Collector {

    private final List<ConfigException.Problem> problems = new ArrayList<>();

    /** Records a problem with an entry. */
    public void add(ConfigSource.Entry entry, String message) {
      problems.add(new ConfigException.Problem(entry.file(), entry.line(), entry.key(), message));
    }

    /**
     * Records a problem at a position inside an entry's value: {@code offset} is the 1-based position in the
     * value, reported as a column of the file when the value's column is known; {@code detail} is shown
     * under the message.
     */
    public void add(ConfigSource.Entry entry, int offset, String message, String detail) {
      int column = entry.valueColumn() > 0 && offset > 0 ? entry.valueColumn() + offset - 1 : offset;
      problems.add(new ConfigException.Problem(entry.file(), entry.line(), column, entry.key(), message, detail));
    }

    /** Records a problem at a place. */
    public void add(String file, int line, String key, String message) {
      problems.add(new ConfigException.Problem(file, line, key, message));
    }

    public boolean isEmpty() {
      return problems.isEmpty();
    }

    public int size() {
      return problems.size();
    }

    public List<ConfigException.Problem> list() {
      return List.copyOf(problems);
    }

    /**
     * Throws a {@link ConfigException} holding every problem, if there is any, in reading order: by file
     * (in the order files were first mentioned), then by line.
     */
    public void throwIfAny() throws ConfigException {
      if (!problems.isEmpty()) {
        List<String> files = problems.stream().map(ConfigException.Problem::file).distinct().toList();
        List<ConfigException.Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt((ConfigException.Problem p) -> files.indexOf(p.file()))
            .thenComparingInt(ConfigException.Problem::line));
        throw new ConfigException(sorted);
      }
    }
  }
}
