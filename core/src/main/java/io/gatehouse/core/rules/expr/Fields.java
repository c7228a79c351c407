package io.gatehouse.core.rules.expr;

import io.gatehouse.core.config.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of the language: their canonical names, types and how each is read from a
 * {@link Expression.Context}. Old Cloudflare names ({@code ip.geoip.country}, ...) are aliases, so rules
 * copied from older dashboards still compile; {@link Expression#fields()} reports canonical names.
 */
final class Fields {

  /** A field: its canonical name, its type and the node that reads it ({@code null} for the header map). */
  record Field(String name, Type type, Object node) {}

  static final String HEADERS = "http.request.headers";

  private static final Map<String, Field> BY_NAME = new LinkedHashMap<>();

  static {
    field("ip.src", Type.IP, (Nodes.Ip) c -> c.clientIp());
    field("ip.src.asnum", Type.INTEGER, (Nodes.Int) c -> c.asn());
    field("ip.src.country", Type.STRING, (Nodes.Str) c -> c.country());
    field("ip.src.continent", Type.STRING, (Nodes.Str) c -> c.continent());
    field("http.host", Type.STRING, (Nodes.Str) c -> c.host());
    field("http.request.method", Type.STRING, (Nodes.Str) c -> c.method());
    field("http.request.uri", Type.STRING, (Nodes.Str) c -> c.uri());
    field("http.request.uri.path", Type.STRING, (Nodes.Str) c -> c.path());
    field("http.request.uri.query", Type.STRING, (Nodes.Str) c -> c.query());
    field("http.user_agent", Type.STRING, (Nodes.Str) c -> c.userAgent());
    field("http.referer", Type.STRING, (Nodes.Str) c -> c.referer());
    field("http.cookie", Type.STRING, (Nodes.Str) c -> c.cookie());
    field(HEADERS, Type.MAP, null);
    field("cf.threat_score", Type.INTEGER, (Nodes.Int) c -> c.threatScore());
    field("cf.client.bot", Type.BOOLEAN, (Nodes.Cond) c -> c.verifiedBot());
    alias("ip.geoip.asnum", "ip.src.asnum");
    alias("ip.geoip.country", "ip.src.country");
    alias("ip.geoip.continent", "ip.src.continent");
    alias("cf.bot_management.verified_bot", "cf.client.bot");
  }

  private Fields() {}

  private static void field(String name, Type type, Object node) {
    BY_NAME.put(name, new Field(name, type, node));
  }

  private static void alias(String alias, String canonical) {
    BY_NAME.put(alias, BY_NAME.get(canonical));
  }

  /** The field written as {@code name} (canonical or alias), or {@code null}. */
  static Field get(String name) {
    return BY_NAME.get(name);
  }

  /** Every accepted name, canonical names first. */
  static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The accepted name closest to {@code written}, if it is close enough to be a typo, or {@code null}. */
  static String suggest(String written, Iterable<String> candidates) {
    return Values.closest(written, candidates, Math.max(2, Math.min(4, written.length() / 6)));
  }
}
