package io.gatehouse.core.policy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.config.Values;
import io.gatehouse.core.policy.Policy.Characteristic;
import io.gatehouse.core.rules.RuleAction;
import io.gatehouse.core.rules.expr.Expression;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compiles the rate limiting rules ({@code gatehouse.rate-limit.ID.*}) of a draft. */
final class RateLimitsCompiler {

  /** The field only a counting expression may read: the application's answer. */
  static final String RESPONSE_CODE = "http.response.code";

  private static final Pattern NAMED =
      Pattern.compile("(http\\.request\\.(?:headers|cookies|uri\\.args))\\[\"([^\"]{1,128})\"\\]");
  private static final String KNOWN = "ip.src, cf.unique_visitor_id, http.request.headers[\"name\"],"
      + " http.request.cookies[\"name\"], http.request.uri.args[\"name\"], http.request.uri.path, http.host,"
      + " ip.src.asnum, ip.src.country";

  private RateLimitsCompiler() {}

  static List<Policy.RateLimit> compile(Map<String, Draft.RateLimitDraft> drafts, NamedListSet lists,
      ConfigException.Collector problems) {
    List<Policy.RateLimit> out = new ArrayList<>();
    for (Map.Entry<String, Draft.RateLimitDraft> r : drafts.entrySet()) {
      String id = r.getKey();
      Draft.RateLimitDraft d = r.getValue();
      String prefix = "gatehouse.rate-limit." + id;
      List<String> missing = new ArrayList<>();
      if (d.expression == null) {
        missing.add(prefix + ".expression");
      }
      if (d.period == null && d.periodEntry == null) {
        missing.add(prefix + ".period");
      }
      if (d.requests == null && !problemAt(problems, prefix + ".requests")) {
        missing.add(prefix + ".requests");
      }
      if (!missing.isEmpty()) {
        problems.add(d.first, "rate limiting rule '" + id + "' needs " + String.join(" and ", missing));
        continue;
      }
      RuleAction action = action(d.action, problems);
      List<Characteristic> characteristics = characteristics(d.characteristics, problems);
      Expression expression = RulesCompiler.compile(d.expression, lists, problems);
      if (expression != null && expression.fields().contains(RESPONSE_CODE)) {
        problems.add(d.expression, RESPONSE_CODE + " is known only once the application has answered; read it in "
            + prefix + ".counting-expression");
        expression = null;
      }
      Expression counting = d.countingExpression == null ? null
          : RulesCompiler.compile(d.countingExpression, lists, problems);
      if (expression != null && action != null && characteristics != null && d.period != null
          && d.requests != null && (d.countingExpression == null || counting != null)) {
        out.add(new Policy.RateLimit(id, expression, characteristics, d.period, d.requests, d.mitigationTimeout,
            action, counting, d.scoreHeader, d.expression.location()));
      }
    }
    return out;
  }

  private static boolean problemAt(ConfigException.Collector problems, String key) {
    return problems.list().stream().anyMatch(p -> p.key().equals(key));
  }

  /** {@code block} (the default), {@code challenge} (or the CDN's challenge actions) or {@code log}. */
  private static RuleAction action(ConfigSource.Entry e, ConfigException.Collector problems) {
    if (e == null) {
      return RuleAction.BLOCK;
    }
    String word = e.value().trim();
    RuleAction a = word.equals(word.toLowerCase(Locale.ROOT)) ? RuleAction.fromId(word) : null;
    if (a != RuleAction.BLOCK && a != RuleAction.CHALLENGE && a != RuleAction.LOG) {
      problems.add(e, "'" + e.value() + "' is not one of block, challenge, log");
      return null;
    }
    return a;
  }

  /**
   * The parts of the key. Without the key, a counter is kept per visitor ({@code cf.unique_visitor_id}):
   * never one for everyone behind a shared address. {@code cf.colo.id}, which the CDN requires, is
   * accepted and means nothing more here: each instance counts for itself.
   */
  private static List<Characteristic> characteristics(ConfigSource.Entry e, ConfigException.Collector problems) {
    if (e == null) {
      return List.of(new Characteristic(Characteristic.Kind.VISITOR, ""));
    }
    List<Characteristic> out = new ArrayList<>();
    int before = problems.size();
    for (String written : Values.list(e.value())) {
      Characteristic c = characteristic(written, e, problems);
      if (c == null) {
        continue;
      }
      if (out.contains(c)) {
        problems.add(e, "'" + written + "' is named twice");
      } else {
        out.add(c);
      }
    }
    if (problems.size() > before) {
      return null;
    }
    if (out.isEmpty()) {
      problems.add(e, "names no characteristic; use some of " + KNOWN);
      return null;
    }
    return out;
  }

  private static Characteristic characteristic(String written, ConfigSource.Entry e,
      ConfigException.Collector problems) {
    for (Characteristic.Kind k : Characteristic.Kind.values()) {
      if (!k.named() && k.field().equals(written)) {
        return new Characteristic(k, "");
      }
    }
    if (written.equals("cf.colo.id")) {
      return null;
    }
    Matcher m = NAMED.matcher(written);
    if (m.matches()) {
      Characteristic.Kind kind = switch (m.group(1)) {
        case "http.request.headers" -> Characteristic.Kind.HEADER;
        case "http.request.cookies" -> Characteristic.Kind.COOKIE;
        default -> Characteristic.Kind.QUERY_ARG;
      };
      String name = m.group(2);
      if (kind == Characteristic.Kind.HEADER && !name.equals(name.toLowerCase(Locale.ROOT))) {
        problems.add(e, "'" + written + "': header names are lower case in the rules language; write"
            + " http.request.headers[\"" + name.toLowerCase(Locale.ROOT) + "\"]");
        return null;
      }
      return new Characteristic(kind, name);
    }
    problems.add(e, "'" + written + "' is not a characteristic: " + KNOWN);
    return null;
  }
}
