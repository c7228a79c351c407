package io.gatehouse.core.config;

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
public record ConfigProblem(String file, int line, int column, String key, String message, String detail) {

  public ConfigProblem(String file, int line, String key, String message) {
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
