package io.gatehouse.spring;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;

/**
 * Where the engine's configuration comes from in a Spring Boot application: the {@code gatehouse.*} keys
 * of the application's own configuration ({@code application.properties}, {@code application.yml}, profile
 * files, system properties), each with the file and line it was written on, so that problems name them;
 * or, with {@code gatehouse.config-file}, a Gatehouse properties file of its own; or, with neither,
 * {@code classpath:gatehouse.properties} when there is one, else the defaults.
 */
final class SpringConfiguration {

  /** The key naming a Gatehouse properties file instead of inline keys; read here, never by the engine. */
  static final String CONFIG_FILE = "gatehouse.config-file";
  static final String DEFAULT_FILE = "gatehouse.properties";

  private static final String PREFIX = "gatehouse.";

  private SpringConfiguration() {}

  static ConfigSource source(ConfigurableEnvironment env, ClassLoader loader) throws ConfigException {
    List<ConfigSource.Entry> inline = inlineEntries(env);
    ConfigSource.Entry file = inline.stream().filter(e -> e.key().equals(CONFIG_FILE)).findFirst().orElse(null);
    if (file != null) {
      List<ConfigSource.Entry> others = inline.stream().filter(e -> !e.key().equals(CONFIG_FILE)).toList();
      if (!others.isEmpty()) {
        ConfigSource.Entry first = others.get(0);
        throw new ConfigException(List.of(new ConfigException.Problem(first.file(), first.line(), first.key(),
            "set inline while " + CONFIG_FILE + " (" + file.location() + ") names a file; put the keys in one"
                + " place: inline, or in that file")));
      }
      return ConfigSource.parse(env.resolveRequiredPlaceholders(file.value()), loader);
    }
    if (!inline.isEmpty()) {
      return ConfigSource.of("application configuration", inline);
    }
    if (loader.getResource(DEFAULT_FILE) != null) {
      return ConfigSource.classpath(DEFAULT_FILE, loader);
    }
    return ConfigSource.of("application configuration", List.of());
  }

  /**
   * Every {@code gatehouse.*} key, with the value that wins (the highest-precedence property source's)
   * and where it was written, in the order the keys are written (custom rules run in that order).
   */
  static List<ConfigSource.Entry> inlineEntries(ConfigurableEnvironment env) {
    Map<String, ConfigSource.Entry> found = new LinkedHashMap<>();
    for (PropertySource<?> source : env.getPropertySources()) {
      if (!(source instanceof EnumerablePropertySource<?> e) || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
        continue;
      }
      List<ConfigSource.Entry> own = new ArrayList<>();
      for (String name : e.getPropertyNames()) {
        if (!name.startsWith(PREFIX) || found.containsKey(name)) {
          continue;
        }
        Object value = e.getProperty(name);
        own.add(entry(source, name, value == null ? "" : String.valueOf(unwrap(value))));
      }
      own.forEach(x -> found.put(x.key(), x));
    }
    return List.copyOf(found.values());
  }

  private static Object unwrap(Object value) {
    if (value instanceof org.springframework.boot.origin.OriginTrackedValue t) {
      return t.getValue();
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static ConfigSource.Entry entry(PropertySource<?> source, String name, String value) {
    Origin origin = source instanceof OriginLookup<?> lookup ? ((OriginLookup<String>) lookup).getOrigin(name) : null;
    if (origin instanceof TextResourceOrigin t && t.getLocation() != null) {
      return new ConfigSource.Entry(fileName(t.getResource(), source), t.getLocation().getLine() + 1, name, value,
          t.getLocation().getColumn() + 1);
    }
    return new ConfigSource.Entry(source.getName(), 1, name, value);
  }

  /** {@code application.properties}, as a user calls the file, rather than Spring's description of it. */
  private static String fileName(Resource resource, PropertySource<?> source) {
    if (resource == null) {
      return source.getName();
    }
    String f = resource.getFilename();
    return f != null ? f : resource.getDescription();
  }

  /**
   * The variables {@code ${NAME}} reads: Spring's environment, which holds the process environment, system
   * properties and the application's own properties.
   */
  static Map<String, String> variables(Environment env) {
    return new AbstractMap<>() {
      @Override
      public String get(Object key) {
        return key instanceof String k ? env.getProperty(k) : null;
      }

      @Override
      public boolean containsKey(Object key) {
        return get(key) != null;
      }

      @Override
      public Set<Entry<String, String>> entrySet() {
        return Set.of();
      }
    };
  }
}
