package io.gatehouse.core.bot;

import io.gatehouse.core.RequestFacts;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The User-Agent corpora under {@code src/test/resources/useragents}, read from the class path. */
final class Corpora {

  /** A uap-core test case: the string and the family ua-parser assigns it. */
  record UapCase(String userAgent, String family) {}

  /** An example User-Agent of a crawler-user-agents.json entry. */
  record CrawlerInstance(String pattern, String userAgent) {}

  private Corpora() {}

  static BufferedReader open(String name) {
    InputStream in = Corpora.class.getResourceAsStream("/useragents/" + name);
    if (in == null) {
      throw new IllegalStateException("missing test resource useragents/" + name);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** The OWASP CRS phrases: every non-blank line that is not a comment. */
  static List<String> owaspPhrases() {
    List<String> out = new ArrayList<>();
    try (BufferedReader r = open("owasp-crs-scanners-user-agents.data")) {
      String line;
      while ((line = r.readLine()) != null) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          out.add(t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The uap-core cases. The file is YAML, but only two line shapes matter here ({@code - user_agent_string:}
   * and {@code family:}, each a single- or double-quoted scalar), so it is read line by line.
   */
  static List<UapCase> uapCases() {
    List<UapCase> out = new ArrayList<>();
    try (BufferedReader r = open("uap-core-test_ua.yaml")) {
      String line;
      String pending = null;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("  - user_agent_string: ")) {
          pending = scalar(line.substring("  - user_agent_string: ".length()));
        } else if (line.startsWith("    family: ") && pending != null) {
          out.add(new UapCase(pending, scalar(line.substring("    family: ".length()))));
          pending = null;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String scalar(String s) {
    String t = s.strip();
    if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
      return t.substring(1, t.length() - 1).replace("''", "'");
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < t.length() - 1; i++) {
        char c = t.charAt(i);
        if (c == '\\' && i + 1 < t.length() - 1) {
          c = t.charAt(++i);
        }
        sb.append(c);
      }
      return sb.toString();
    }
    return t;
  }

  static List<CrawlerInstance> crawlerInstances() {
    List<CrawlerInstance> out = new ArrayList<>();
    try (JsonReader r = Json.createReader(open("crawler-user-agents.json"))) {
      JsonArray entries = r.readArray();
      for (JsonValue v : entries) {
        JsonObject entry = v.asJsonObject();
        String pattern = entry.getString("pattern");
        JsonArray instances = entry.getJsonArray("instances");
        if (instances == null) {
          continue;
        }
        for (int i = 0; i < instances.size(); i++) {
          out.add(new CrawlerInstance(pattern, instances.getString(i)));
        }
      }
    }
    return out;
  }

  /**
   * A navigation to {@code https://shop.example/} with the headers the browser behind {@code ua} sends:
   * Accept, Accept-Language and Accept-Encoding always, and Sec-Fetch-* and client hints from the
   * versions that send them (Chromium 76 and 89, Firefox 90, Safari 16.4).
   */
  static RequestFacts browserNavigation(String ua, boolean withAccept) {
    RequestFacts.Builder b = RequestFacts.builder().peer("198.51.100.7").method("GET").scheme("https")
        .host("shop.example").uri("/").header("Host", "shop.example").header("User-Agent", ua);
    int chrome = major(ua, "Chrome/");
    int firefox = major(ua, "Firefox/");
    boolean ios = ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod");
    String accept;
    String language = "en-US,en;q=0.9";
    String encoding = "gzip, deflate, br";
    boolean secFetch = false;
    boolean clientHints = false;
    if (ua.contains("MSIE") || ua.contains("Trident/")) {
      accept = "text/html, application/xhtml+xml, image/jxr, */*";
      language = "en-US";
      encoding = "gzip, deflate";
    } else if (ua.startsWith("Opera/") || ua.contains("Presto/")) {
      accept = "text/html, application/xml;q=0.9, application/xhtml+xml, image/png, image/webp, image/jpeg, "
          + "image/gif, image/x-xbitmap, */*;q=0.1";
      encoding = "gzip, deflate";
    } else if (chrome > 0 && !ios) {
      accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
          + "application/signed-exchange;v=b3;q=0.7";
      encoding = chrome >= 123 ? "gzip, deflate, br, zstd" : "gzip, deflate, br";
      secFetch = chrome >= 76;
      clientHints = chrome >= 89;
    } else if (firefox > 0) {
      accept = firefox >= 72 ? "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
          : "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
      language = "en-US,en;q=0.5";
      secFetch = firefox >= 90;
    } else {
      accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
      int safari = major(ua, "Version/");
      secFetch = safari >= 17 || (safari == 16 && ua.contains("Version/16.4"));
    }
    if (withAccept) {
      b.header("Accept", accept);
    }
    b.header("Accept-Language", language).header("Accept-Encoding", encoding);
    if (clientHints) {
      b.header("sec-ch-ua", "\"Chromium\";v=\"" + chrome + "\", \"Not?A_Brand\";v=\"24\"")
          .header("sec-ch-ua-mobile", ua.contains("Mobile") ? "?1" : "?0")
          .header("sec-ch-ua-platform", "\"Windows\"");
    }
    if (secFetch) {
      b.header("Sec-Fetch-Site", "none").header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-User", "?1")
          .header("Sec-Fetch-Dest", "document");
    }
    return b.header("Upgrade-Insecure-Requests", "1").build();
  }

  /** The major version after {@code product} (as in {@code Chrome/120.0}), or -1. */
  static int major(String ua, String product) {
    int at = ua.indexOf(product);
    if (at < 0) {
      return -1;
    }
    int i = at + product.length();
    int value = 0;
    int digits = 0;
    while (i < ua.length() && Character.isDigit(ua.charAt(i)) && digits < 6) {
      value = value * 10 + (ua.charAt(i++) - '0');
      digits++;
    }
    return digits == 0 ? -1 : value;
  }
}
