package io.gatehouse.core.bot;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a crawler operator's published address ranges, in the JSON shape Google uses for
 * {@code googlebot.json} (and Bing, Apple, OpenAI and DuckDuckGo for theirs):
 *
 * <pre>{"creationTime": "...", "prefixes": [{"ipv4Prefix": "66.249.64.0/27"},
 *     {"ipv6Prefix": "2001:4860:4801:10::/64"}]}</pre>
 *
 * <p>A file is all or nothing: a prefix that does not parse, or a file without any, is an error naming
 * each bad entry by position, because a silently shortened list would turn the crawler's real addresses
 * into unverified ones.
 *
 * <p>Stateless and thread-safe; the index it returns is immutable.
 */
final class PublishedRanges {

  private static final int MAX_REPORTED = 10;

  private PublishedRanges() {}

  /**
   * The networks a ranges file lists, in an index whose values are the networks themselves (for explain
   * output: "inside 66.249.64.0/27").
   *
   * @throws IOException naming the file and every bad entry (the first ten)
   */
  static IntervalIndex<Cidr> load(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("no such file: " + file, e);
    }
    return parse(new StringReader(text), file.toString());
  }

  /** {@link #load} over a reader; {@code source} names it in messages. */
  static IntervalIndex<Cidr> parse(Reader in, String source) throws IOException {
    JsonObject root;
    try (JsonReader reader = Json.createReader(in)) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new IOException(source + ": expected a JSON object with \"prefixes\", found " + describe(value));
      }
      root = value.asJsonObject();
    } catch (JsonParsingException e) {
      throw new IOException(source + " is not valid JSON: " + e.getMessage(), e);
    } catch (NumberFormatException e) {
      // Parsson makes a BigDecimal of every number it reads, which throws for an exponent that does not fit.
      throw new IOException(source + " is not valid JSON: a number is out of range (" + e.getMessage() + ")", e);
    } catch (JsonException e) {
      throw new IOException("cannot read " + source + ": " + e.getMessage(), e);
    }
    JsonValue prefixesValue = root.get("prefixes");
    if (prefixesValue == null || prefixesValue.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new IOException(source + ": expected a \"prefixes\" array, found "
          + (prefixesValue == null ? "none" : describe(prefixesValue)));
    }
    JsonArray prefixes = prefixesValue.asJsonArray();
    IntervalIndex.Builder<Cidr> index = IntervalIndex.builder();
    List<String> problems = new ArrayList<>();
    int bad = 0;
    for (int i = 0; i < prefixes.size(); i++) {
      String problem = add(prefixes.get(i), i, index);
      if (problem != null) {
        bad++;
        if (problems.size() < MAX_REPORTED) {
          problems.add(problem);
        }
      }
    }
    if (bad > 0) {
      String more = bad > problems.size() ? "\n  ... and " + (bad - problems.size()) + " more" : "";
      throw new IOException(source + ": " + bad + " bad prefix" + (bad == 1 ? "" : "es") + " of " + prefixes.size()
          + ":\n  " + String.join("\n  ", problems) + more);
    }
    if (index.entryCount() == 0) {
      throw new IOException(source + " lists no prefixes");
    }
    return index.build();
  }

  /** Adds one entry; returns what is wrong with it, or {@code null}. */
  private static String add(JsonValue entry, int position, IntervalIndex.Builder<Cidr> index) {
    String where = "prefixes[" + position + "]";
    if (entry.getValueType() != JsonValue.ValueType.OBJECT) {
      return where + ": expected an object, found " + describe(entry);
    }
    JsonObject object = entry.asJsonObject();
    JsonValue v4 = object.get("ipv4Prefix");
    JsonValue v6 = object.get("ipv6Prefix");
    if (v4 == null && v6 == null) {
      return where + ": has neither \"ipv4Prefix\" nor \"ipv6Prefix\"";
    }
    List<Cidr> parsed = new ArrayList<>(2);
    for (String key : new String[] {"ipv4Prefix", "ipv6Prefix"}) {
      JsonValue value = object.get(key);
      if (value == null) {
        continue;
      }
      if (value.getValueType() != JsonValue.ValueType.STRING) {
        return where + "." + key + ": expected a string, found " + describe(value);
      }
      String text = ((JsonString) value).getString();
      Cidr network;
      try {
        network = Cidr.parse(text.strip());
      } catch (IllegalArgumentException e) {
        return where + "." + key + ": " + e.getMessage();
      }
      boolean wantV4 = key.equals("ipv4Prefix");
      if (network.isV4() != wantV4) {
        return where + "." + key + ": '" + UserAgents.printable(text) + "' is not an IPv" + (wantV4 ? "4" : "6")
            + " network";
      }
      parsed.add(network);
    }
    for (Cidr network : parsed) {
      index.add(network, network);
    }
    return null;
  }

  private static String describe(JsonValue value) {
    return switch (value.getValueType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case TRUE, FALSE -> "a boolean";
      case NULL -> "null";
    };
  }
}
