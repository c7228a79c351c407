package io.gatehouse.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:default}} in values with environment variables, so secrets
 * stay out of the file. {@code $${} writes a literal {@code ${}. A variable that is unset and has no
 * default is a problem, not an empty string: an empty admin token or secret must never be the result
 * of a typo.
 */
final class Interpolator {

  private Interpolator() {}

  /**
   * The entries with their values interpolated from {@code environment}. An entry that cannot be
   * interpolated is reported and left out, so that its raw text is not judged as a value too.
   */
  public static List<ConfigSource.Entry> apply(List<ConfigSource.Entry> entries, Map<String, String> environment,
      ConfigException.Collector problems) {
    List<ConfigSource.Entry> out = new ArrayList<>(entries.size());
    for (ConfigSource.Entry e : entries) {
      if (e.value().indexOf('$') < 0) {
        out.add(e);
        continue;
      }
      int before = problems.size();
      String value = interpolate(e, environment, problems);
      if (problems.size() == before) {
        out.add(e.withValue(value));
      }
    }
    return out;
  }

  private static String interpolate(ConfigSource.Entry entry, Map<String, String> env, ConfigException.Collector problems) {
    String s = entry.value();
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '$' && s.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (c != '$' || !s.startsWith("${", i)) {
        out.append(c);
        i++;
        continue;
      }
      int close = s.indexOf('}', i + 2);
      if (close < 0) {
        problems.add(entry, "unterminated ${ at column " + (i + 1) + " (write $${ for a literal ${)");
        return s;
      }
      String body = s.substring(i + 2, close);
      int colon = body.indexOf(':');
      String name = colon < 0 ? body : body.substring(0, colon);
      if (!isName(name)) {
        problems.add(entry, "'${" + body + "}' does not name an environment variable");
        return s;
      }
      String value = env.get(name);
      if (value == null) {
        if (colon < 0) {
          problems.add(entry, "environment variable " + name + " is not set (write ${" + name
              + ":default} to give a default)");
          return s;
        }
        value = body.substring(colon + 1);
      }
      out.append(value);
      i = close + 1;
    }
    return out.toString();
  }

  private static boolean isName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || (i > 0 && (c >= '0' && c <= '9' || c == '.'));
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
