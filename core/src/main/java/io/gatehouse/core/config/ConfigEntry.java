package io.gatehouse.core.config;

/**
 * One {@code key=value} line of a properties file, with where it stood.
 *
 * @param file the file's name as shown in messages
 * @param line the line the entry starts on, from 1
 * @param key the key, unescaped
 * @param value the value, unescaped and interpolated
 * @param valueColumn the column, from 1, at which the value starts on its line, or 0 when unknown; a
 *     problem found at a position inside the value (an expression's) is reported at the right column
 */
public record ConfigEntry(String file, int line, String key, String value, int valueColumn) {

  public ConfigEntry(String file, int line, String key, String value) {
    this(file, line, key, value, 0);
  }

  /** This entry with another value. */
  public ConfigEntry withValue(String newValue) {
    return new ConfigEntry(file, line, key, newValue, valueColumn);
  }

  /** {@code file:line}. */
  public String location() {
    return file + ":" + line;
  }
}
