package io.gatehouse.core.policy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.rules.AccessRule;
import io.gatehouse.core.rules.RuleAction;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managed access-rules file: JSON that Gatehouse reads at load and (through the admin API) writes.
 * Its own shape is
 *
 * <pre>{@code
 * {"rules": [{"id": "hq", "action": "allow", "target": "ip", "value": "203.0.113.0/24", "notes": "HQ"}]}
 * }</pre>
 *
 * <p>It also reads the CDN's export of IP Access Rules, so rules can be moved over as they are:
 * {@code {"result": [{"id", "mode", "configuration": {"target", "value"}, "notes"}]}} with modes
 * {@code block}, {@code whitelist} (allow), {@code challenge}, {@code js_challenge} and
 * {@code managed_challenge} (all three: challenge), and targets {@code ip}, {@code ip6}, {@code ip_range},
 * {@code asn} and {@code country}. Other fields of the export are ignored; in Gatehouse's own shape an
 * unknown field is a problem, as a typo would otherwise drop a note or a rule silently.
 *
 * <p>Each problem names the file and the line on which the rule's object starts.
 */
final class AccessRulesFile {

  private static final Logger LOG = LoggerFactory.getLogger(AccessRulesFile.class);

  private static final Set<String> OWN_FIELDS = Set.of("id", "action", "target", "value", "notes", "created");

  private AccessRulesFile() {}

  /**
   * Reads the rules in {@code path}; a file that does not exist yet holds no rules. Problems are added
   * to {@code problems} as {@code name:line: message}.
   */
  public static List<AccessRule> read(Path path, String name, ConfigException.Collector problems) {
    List<AccessRule> rules = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        JsonParser parser = Json.createParser(in)) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        problems.add(name, 1, "", "expected a JSON object with \"rules\" (or the CDN's \"result\")");
        return rules;
      }
      boolean sawList = false;
      while (parser.hasNext()) {
        JsonParser.Event e = parser.next();
        if (e == JsonParser.Event.END_OBJECT) {
          break;
        }
        String key = parser.getString();
        JsonParser.Event value = parser.next();
        boolean own = key.equals("rules");
        if ((own || key.equals("result")) && value == JsonParser.Event.START_ARRAY) {
          if (sawList) {
            problems.add(name, line(parser), "", "holds both \"rules\" and \"result\"; keep one");
          }
          sawList = true;
          readArray(parser, name, own, rules, problems);
        } else if (own || key.equals("result")) {
          problems.add(name, line(parser), "", "\"" + key + "\" must be an array");
          skip(parser, value);
        } else {
          skip(parser, value);
        }
      }
      if (!sawList) {
        problems.add(name, 1, "", "expected a JSON object with \"rules\" (or the CDN's \"result\")");
      }
    } catch (NoSuchFileException e) {
      return rules;
    } catch (JsonParsingException e) {
      JsonLocation at = e.getLocation();
      problems.add(name, at == null ? 0 : (int) at.getLineNumber(), "", "not valid JSON: " + e.getMessage());
    } catch (JsonException | IOException e) {
      problems.add(name, 0, "", "cannot be read: " + e.getMessage());
    }
    return rules;
  }

  private static void readArray(JsonParser parser, String name, boolean own, List<AccessRule> rules,
      ConfigException.Collector problems) {
    int index = 0;
    while (parser.hasNext()) {
      JsonParser.Event e = parser.next();
      if (e == JsonParser.Event.END_ARRAY) {
        return;
      }
      int line = line(parser);
      if (e != JsonParser.Event.START_OBJECT) {
        problems.add(name, line, "", "rule " + index + " is not a JSON object");
        skip(parser, e);
      } else {
        JsonObject o;
        try {
          o = parser.getObject();
        } catch (NumberFormatException ex) {
          // Parsson makes a BigDecimal of every number in the object, and throws for an exponent that does
          // not fit (1e99999999999): malformed JSON as far as a rules file is concerned.
          throw new JsonParsingException("rule " + index + " holds a number out of range: " + ex.getMessage(),
              parser.getLocation());
        }
        try {
          rules.add(own ? ownRule(o, name + ":" + line) : exportedRule(o, index, name + ":" + line));
        } catch (IllegalArgumentException | ClassCastException ex) {
          String id = o.get("id") instanceof JsonString s ? " '" + s.getString() + "'" : "";
          problems.add(name, line, "", "rule " + index + id + ": " + ex.getMessage());
        }
      }
      index++;
    }
  }

  /**
   * Writes {@code rules} in Gatehouse's own shape so that a reader never sees a half-written file: the
   * JSON goes to a temporary file beside the target, is forced to disk, and then renamed over the target
   * in one step; the directory is forced too, so the rename survives a crash.
   */
  public static void write(Path path, List<AccessRule> rules) throws IOException {
    write(path, rules, true);
  }

  /**
   * Like {@link #write(Path, List)}; unless {@code durable}, nothing is forced to disk (the rename is still
   * atomic, so a reader never sees half a file). For a copy of rules kept elsewhere too, such as a
   * cluster's: a crash may lose the last change, which the store gives back at the next start.
   */
  static void write(Path path, List<AccessRule> rules, boolean durable) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    jakarta.json.JsonArrayBuilder array = Json.createArrayBuilder();
    for (AccessRule r : rules) {
      jakarta.json.JsonObjectBuilder o = Json.createObjectBuilder().add("id", r.id()).add("action", r.action().id())
          .add("target", r.target().id()).add("value", r.value());
      if (!r.notes().isEmpty()) {
        o.add("notes", r.notes());
      }
      array.add(o);
    }
    StringBuilder text = new StringBuilder("{\"rules\": [\n");
    var built = array.build();
    for (int i = 0; i < built.size(); i++) {
      text.append("  ").append(built.get(i)).append(i + 1 < built.size() ? ",\n" : "\n");
    }
    text.append("]}\n");
    Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (durable) {
          ch.force(true);
        }
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    if (!durable) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot force a directory; the rename itself is still atomic.
    }
  }

  /** The longest rule {@link #decode} reads: an address, a few words of notes, never a document. */
  static final int MAX_ENCODED = 4_096;

  /** One rule in Gatehouse's own shape, as one line of JSON: how a rule travels between instances. */
  static String encode(AccessRule r) {
    jakarta.json.JsonObjectBuilder o = Json.createObjectBuilder().add("id", r.id()).add("action", r.action().id())
        .add("target", r.target().id()).add("value", r.value());
    if (!r.notes().isEmpty()) {
      o.add("notes", r.notes());
    }
    return o.build().toString();
  }

  /**
   * The rule {@link #encode} wrote, read as strictly as the file: an unknown field, a missing one or a
   * value that is not a rule is refused with {@link IllegalArgumentException}.
   */
  static AccessRule decode(String json, String origin) {
    if (json == null || json.length() > MAX_ENCODED) {
      throw new IllegalArgumentException("missing or longer than " + MAX_ENCODED + " characters");
    }
    JsonValue v;
    try (jakarta.json.JsonReader reader = Json.createReader(new java.io.StringReader(json))) {
      v = reader.readValue();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return ownRule(o, origin);
  }

  private static AccessRule ownRule(JsonObject o, String origin) {
    for (String field : o.keySet()) {
      if (!OWN_FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown field \"" + field + "\" (known: id, action, target, value, notes,"
            + " created)");
      }
    }
    String id = required(o, "id");
    if (!KeyRegistry.isName(id)) {
      throw new IllegalArgumentException("'" + id + "' is not a valid id (1 to 64 letters, digits, '-' and '_')");
    }
    return AccessRule.of(id, AccessRule.parseAction(required(o, "action")), required(o, "target"),
        required(o, "value"), optional(o, "notes"), origin);
  }

  private static AccessRule exportedRule(JsonObject o, int index, String origin) {
    String mode = required(o, "mode").toLowerCase(Locale.ROOT);
    RuleAction action = switch (mode) {
      case "block" -> RuleAction.BLOCK;
      case "whitelist" -> RuleAction.ALLOW;
      case "challenge", "js_challenge", "managed_challenge" -> RuleAction.CHALLENGE;
      default -> throw new IllegalArgumentException("mode '" + mode + "' is not one of block, whitelist, challenge,"
          + " js_challenge, managed_challenge");
    };
    JsonValue cv = o.get("configuration");
    if (!(cv instanceof JsonObject configuration)) {
      throw new IllegalArgumentException("\"configuration\" is missing or not an object");
    }
    String target = required(configuration, "target").toLowerCase(Locale.ROOT);
    String ours = switch (target) {
      case "ip", "ip6", "ip_range" -> "ip";
      case "asn" -> "asn";
      case "country" -> "country";
      default -> throw new IllegalArgumentException("target '" + target + "' is not one of ip, ip6, ip_range, asn,"
          + " country");
    };
    String value = required(configuration, "value");
    if (ours.equals("country") && value.equalsIgnoreCase("T1")) {
      throw new IllegalArgumentException("country T1 (the CDN's code for Tor) has no meaning here; list Tor exit"
          + " addresses instead");
    }
    String rawId = o.get("id") instanceof JsonString s ? s.getString() : "";
    String id = KeyRegistry.isName(rawId) ? rawId : "imported-" + index;
    return AccessRule.of(id, action, ours, value, optional(o, "notes"), origin);
  }

  private static String required(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (!(v instanceof JsonString s)) {
      throw new IllegalArgumentException("\"" + field + "\" is missing or not a string");
    }
    return s.getString();
  }

  private static String optional(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v == JsonValue.NULL) {
      return "";
    }
    if (!(v instanceof JsonString s)) {
      throw new IllegalArgumentException("\"" + field + "\" is not a string");
    }
    return s.getString();
  }

  private static int line(JsonParser parser) {
    JsonLocation at = parser.getLocation();
    return at == null ? 0 : (int) Math.max(1, at.getLineNumber());
  }

  /**
   * Reads past the value that began with {@code started}. Not with {@link JsonParser#skipObject()} or
   * {@link JsonParser#skipArray()}: Parsson's never return when the file ends inside the value, so a
   * truncated file would hang the load; {@link JsonParser#next()} reports the end as malformed JSON.
   */
  private static void skip(JsonParser parser, JsonParser.Event started) {
    if (started != JsonParser.Event.START_OBJECT && started != JsonParser.Event.START_ARRAY) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      JsonParser.Event e = parser.next();
      if (e == JsonParser.Event.START_OBJECT || e == JsonParser.Event.START_ARRAY) {
        depth++;
      } else if (e == JsonParser.Event.END_OBJECT || e == JsonParser.Event.END_ARRAY) {
        depth--;
      }
    }
  }

  /**
   * Deletes what an interrupted write of {@code path} left beside it: the {@code .NAME*.tmp} files that
   * {@link #write} renames over the file, which a crash between writing and renaming would leave behind.
   * Called at start only, when no write of ours can be under way. Never throws.
   */
  static void removeStaleTemporaries(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    String prefix = "." + path.getFileName();
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir,
        p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) {
      for (Path p : stale) {
        try {
          Files.deleteIfExists(p);
          LOG.info("removed {}, left by an interrupted write of {}", p, path);
        } catch (IOException e) {
          LOG.warn("cannot remove {}, left by an interrupted write of {}: {}", p, path, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot look for files left by an interrupted write of {}: {}", path, e.getMessage());
    }
  }
}
