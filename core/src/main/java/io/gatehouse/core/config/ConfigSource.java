package io.gatehouse.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a configuration comes from: a file, a classpath resource, or text handed over directly. Paths
 * named inside the configuration (lists, templates, databases) are resolved against the directory of
 * the file, or against the working directory for the other kinds.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConfigSource {

  private static final String CLASSPATH = "classpath:";

  private final String name;
  private final Path file;
  private final String resource;
  private final ClassLoader loader;
  private final String text;
  private final List<Entry> given;

  private ConfigSource(String name, Path file, String resource, ClassLoader loader, String text) {
    this(name, file, resource, loader, text, null);
  }

  private ConfigSource(String name, Path file, String resource, ClassLoader loader, String text, List<Entry> given) {
    this.name = name;
    this.file = file;
    this.resource = resource;
    this.loader = loader;
    this.text = text;
    this.given = given;
  }

  /**
   * Entries read elsewhere, each with the file and line it came from, such as the {@code gatehouse.*} keys
   * of a Spring Boot {@code application.properties} or {@code application.yml}: problems name those files
   * and lines. Values are interpolated as a file's are.
   */
  public static ConfigSource of(String name, List<Entry> entries) {
    return new ConfigSource(Objects.requireNonNull(name, "name"), null, null, null, null, List.copyOf(entries));
  }

  /** A properties file on disk. */
  public static ConfigSource file(Path path) {
    Objects.requireNonNull(path, "path");
    return new ConfigSource(path.toString(), path, null, null, null);
  }

  /** A classpath resource, such as {@code gatehouse.properties}. */
  public static ConfigSource classpath(String resource, ClassLoader loader) {
    String r = resource.startsWith("/") ? resource.substring(1) : resource;
    return new ConfigSource(CLASSPATH + r, null, r, Objects.requireNonNull(loader, "loader"), null);
  }

  /** Properties text, named {@code name} in messages. */
  public static ConfigSource text(String name, String text) {
    return new ConfigSource(name, null, null, null, Objects.requireNonNull(text, "text"));
  }

  /**
   * {@code classpath:NAME} for a resource, otherwise a file path ({@code file:} prefix allowed).
   */
  public static ConfigSource parse(String spec, ClassLoader loader) {
    String s = spec.trim();
    if (s.startsWith(CLASSPATH)) {
      return classpath(s.substring(CLASSPATH.length()), loader);
    }
    if (s.startsWith("file:")) {
      s = s.substring("file:".length());
    }
    return file(Path.of(s));
  }

  /** The name used in messages: the file path or {@code classpath:NAME}. */
  public String name() {
    return name;
  }

  /**
   * The file on disk behind this source, if there is one: a file source, or a classpath resource that
   * was found in a directory rather than inside a jar. It can be watched for changes.
   */
  public Optional<Path> path() {
    if (file != null) {
      return Optional.of(file);
    }
    if (resource != null) {
      URL url = loader.getResource(resource);
      if (url != null && "file".equals(url.getProtocol())) {
        try {
          return Optional.of(Path.of(url.toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The entries of this source, in file order, with {@code ${NAME}} and {@code ${NAME:default}} replaced
   * from {@code environment}. Every malformed line and unset variable is added to {@code problems}.
   *
   * @throws ConfigException when the source cannot be read at all
   */
  public List<Entry> entries(Map<String, String> environment, ConfigException.Collector problems) throws ConfigException {
    List<Entry> raw = given != null ? given : PropertiesReader.read(name(), read(), problems);
    return Interpolator.apply(raw, environment, problems);
  }

  /** The configuration text. */
  public String read() throws ConfigException {
    try {
      if (text != null) {
        return text;
      }
      if (given != null) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : given) {
          sb.append(e.key()).append('=').append(e.value()).append('\n');
        }
        return sb.toString();
      }
      if (file != null) {
        return Files.readString(file, StandardCharsets.UTF_8);
      }
      // A resource that is a file is read from disk: a container's resource stream may be served from a
      // cache, and a reload must see what the file holds now.
      Optional<Path> onDisk = path();
      if (onDisk.isPresent()) {
        return Files.readString(onDisk.get(), StandardCharsets.UTF_8);
      }
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          throw ConfigException.of(name, "no such resource on the classpath");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (NoSuchFileException e) {
      throw ConfigException.of(name, "no such file");
    } catch (MalformedInputException e) {
      throw ConfigException.of(name, "not UTF-8 text");
    } catch (IOException e) {
      throw ConfigException.of(name, "cannot be read: " + e);
    }
  }

  /** {@code relative} resolved against this source's directory; absolute paths stay as they are. */
  public Path resolve(String relative) {
    Path p = Path.of(relative);
    if (p.isAbsolute()) {
      return p;
    }
    Optional<Path> own = path();
    Path dir = own.map(Path::toAbsolutePath).map(Path::getParent).orElse(Path.of("").toAbsolutePath());
    return dir.resolve(p).normalize();
  }

  @Override
  public String toString() {
    return name;
  }

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
  public record Entry(String file, int line, String key, String value, int valueColumn) {

    public Entry(String file, int line, String key, String value) {
      this(file, line, key, value, 0);
    }

    /** This entry with another value. */
    public Entry withValue(String newValue) {
      return new Entry(file, line, key, newValue, valueColumn);
    }

    /** {@code file:line}. */
    public String location() {
      return file + ":" + line;
    }
  }
}
