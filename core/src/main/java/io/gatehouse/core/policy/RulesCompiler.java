package io.gatehouse.core.policy;

import io.gatehouse.core.Phase;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.config.Values;
import io.gatehouse.core.rules.ConfigRule;
import io.gatehouse.core.rules.CustomRule;
import io.gatehouse.core.rules.RuleAction;
import io.gatehouse.core.rules.expr.Expression;
import io.gatehouse.core.rules.expr.ExpressionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compiles the rules-language part of a configuration: {@code gatehouse.list.NAME},
 * {@code gatehouse.rule.ID.*} and {@code gatehouse.config-rule.ID.*}. Rules keep the order in which their
 * first key appears in the file. An expression's problem is reported at its column, with the expression
 * and a caret under the problem.
 */
final class RulesCompiler {

  private static final String SKIPPABLE_IDS =
      PolicyCompiler.SKIPPABLE.stream().map(Phase::id).collect(Collectors.joining(", "));

  private RulesCompiler() {}

  /** The lists, each from its inline items or its file; file stamps are added to {@code stamps}. */
  static NamedListSet lists(Draft d, ConfigException.Collector problems) {
    NamedListSet.Builder b = new NamedListSet.Builder();
    d.hmacSecrets.forEach((name, secret) -> b.secret(name, secret.getBytes(StandardCharsets.UTF_8)));
    for (Map.Entry<String, ConfigSource.Entry> l : d.lists.entrySet()) {
      ConfigSource.Entry e = l.getValue();
      String v = e.value().trim();
      String kind = null;
      for (String k : new String[] {"ip:", "asn:", "string:"}) {
        if (v.startsWith(k)) {
          kind = k.substring(0, k.length() - 1);
          v = v.substring(k.length()).trim();
        }
      }
      List<NamedListSet.Item> items = new ArrayList<>();
      if (v.startsWith("file:")) {
        Path path;
        try {
          path = d.source.resolve(v.substring(5).trim());
        } catch (InvalidPathException ex) {
          problems.add(e, "'" + v + "' is not a file path");
          b.failed(l.getKey());
          continue;
        }
        d.stamp(path);
        try {
          List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
          for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i);
            int hash = t.indexOf('#');
            t = (hash >= 0 ? t.substring(0, hash) : t).trim();
            if (!t.isEmpty()) {
              items.add(new NamedListSet.Item(t, path, i + 1));
            }
          }
        } catch (IOException ex) {
          problems.add(e, "cannot read list file: " + DataFiles.describe(ex, path));
          b.failed(l.getKey());
          continue;
        }
      } else {
        for (String item : Values.list(v)) {
          items.add(new NamedListSet.Item(item, null, 0));
        }
      }
      b.add(l.getKey(), kind, items, e, problems);
    }
    return b.build();
  }

  static List<CustomRule> customRules(Map<String, Draft.RuleDraft> drafts, NamedListSet lists, ConfigException.Collector problems) {
    List<CustomRule> out = new ArrayList<>();
    for (Map.Entry<String, Draft.RuleDraft> r : drafts.entrySet()) {
      String id = r.getKey();
      Draft.RuleDraft d = r.getValue();
      if (d.expression == null) {
        problems.add(d.first, "custom rule '" + id + "' needs gatehouse.rule." + id + ".expression");
        continue;
      }
      if (d.action == null) {
        problems.add(d.first, "custom rule '" + id + "' needs gatehouse.rule." + id + ".action (block, challenge,"
            + " allow, skip or log)");
        continue;
      }
      // Exactly as written (lower case), as the CDN's rules do; its challenge actions mean challenge.
      String word = d.action.value().trim();
      RuleAction action = word.equals(word.toLowerCase(Locale.ROOT)) ? RuleAction.fromId(word) : null;
      if (action == null) {
        problems.add(d.action, "'" + d.action.value() + "' is not one of block, challenge, allow, skip, log");
      }
      Set<Phase> skips = EnumSet.noneOf(Phase.class);
      if (action == RuleAction.SKIP) {
        if (d.skip == null) {
          problems.add(d.action, "a skip rule needs gatehouse.rule." + id + ".skip: the phases to skip among "
              + SKIPPABLE_IDS);
        } else {
          for (String phase : Values.list(d.skip.value())) {
            Phase p = Phase.fromId(phase);
            if (p == null || !PolicyCompiler.SKIPPABLE.contains(p)) {
              problems.add(d.skip, "'" + phase + "' is not one of " + SKIPPABLE_IDS);
            } else {
              skips.add(p);
            }
          }
        }
      } else if (d.skip != null) {
        problems.add(d.skip, "only a rule whose action is skip names phases to skip");
      }
      Expression expression = compile(d.expression, lists, problems);
      if (expression != null && action != null) {
        out.add(new CustomRule(id, expression, action, skips, d.description == null ? ""
            : d.description.value().trim(), d.expression.location()));
      }
    }
    return out;
  }

  static List<ConfigRule> configRules(Map<String, Draft.RuleDraft> drafts, NamedListSet lists, ConfigException.Collector problems) {
    List<ConfigRule> out = new ArrayList<>();
    for (Map.Entry<String, Draft.RuleDraft> r : drafts.entrySet()) {
      String id = r.getKey();
      Draft.RuleDraft d = r.getValue();
      if (d.expression == null || d.set == null) {
        problems.add(d.first, "configuration rule '" + id + "' needs gatehouse.config-rule." + id + ".expression and"
            + " gatehouse.config-rule." + id + ".set");
        continue;
      }
      ConfigRule.Settings settings = ConfigRule.Settings.parse(Values.list(d.set.value()),
          problem -> problems.add(d.set, problem));
      Expression expression = compile(d.expression, lists, problems);
      if (expression != null && settings != null) {
        out.add(new ConfigRule(id, expression, settings, d.expression.location()));
      }
    }
    return out;
  }

  static Expression compile(ConfigSource.Entry e, NamedListSet lists, ConfigException.Collector problems) {
    String broken = lists.failedListIn(e.value());
    if (broken != null) {
      // The list's own problem is reported; "unknown list" here would send the reader looking for a typo.
      return null;
    }
    try {
      return Expression.compile(e.value(), lists);
    } catch (ExpressionException ex) {
      String caret = ex.caret(e.value());
      problems.add(e, ex.column(), ex.problem(), caret.lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b)
          .orElse(""));
      return null;
    }
  }
}
