package io.gatehouse.core.config;

/**
 * One thing wrong with a configuration.
 *
 * @param file the file's name as shown in messages
 * @param line the line, from 1, or 0 when the problem is not on one line
 * @param key the key concerned, or {@code ""}
 * @param message what is wrong
 */
public record ConfigProblem(String file, int line, String key, String message) {

  /** {@code file:line: key: message}, leaving out the parts that are absent. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (!key.isEmpty()) {
      sb.append(key).append(": ");
    }
    return sb.append(message).toString();
  }
}
