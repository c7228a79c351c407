package io.gatehouse.core.config;

/**
 * One {@code key=value} line of a properties file, with where it stood.
 *
 * @param file the file's name as shown in messages
 * @param line the line the entry starts on, from 1
 * @param key the key, unescaped
 * @param value the value, unescaped and interpolated
 */
public record ConfigEntry(String file, int line, String key, String value) {

  /** This entry with another value. */
  public ConfigEntry withValue(String newValue) {
    return new ConfigEntry(file, line, key, newValue);
  }

  /** {@code file:line}. */
  public String location() {
    return file + ":" + line;
  }
}
