package io.gatehouse.core.policy;

import io.gatehouse.core.ReloadResult;
import io.gatehouse.core.RuleChange;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.rules.AccessRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access rules changed at run time ({@code gatehouse.access-rules.file}): a change is written to the file
 * atomically and the configuration reloaded; if the configuration would not load with it, the file is
 * put back as it was and the problems are returned. Thread-safe; changes are serialised.
 */
final class ManagedRules {

  private static final Logger LOG = LoggerFactory.getLogger(ManagedRules.class);

  private final Supplier<Policy> current;
  private final Supplier<ReloadResult> reload;
  private final SecureRandom random = new SecureRandom();
  private Policy encodedFor;
  private Map<String, String> encodedRules = Map.of();
  /** The most rules taken from elsewhere (a cluster's store). */
  static final int MAX_SHARED = 100_000;
  /** Entries from elsewhere that could not be used, so that each is logged once. */
  private final java.util.Set<String> skipped = new java.util.HashSet<>();

  ManagedRules(Supplier<Policy> current, Supplier<ReloadResult> reload) {
    this.current = current;
    this.reload = reload;
  }

  /**
   * Adds a rule and applies it.
   *
   * @param id the rule's id, or {@code null} to have one made
   */
  synchronized RuleChange add(String id, String action, String target, String value, String notes) {
    Policy p = current.get();
    Path file = p.accessRulesFile();
    if (file == null) {
      return RuleChange.refused(409, "no managed rules file: set gatehouse.access-rules.file");
    }
    String ruleId = id == null || id.isBlank() ? "r-" + HexFormat.of().toHexDigits(random.nextLong()).substring(0, 12)
        : id.trim();
    if (!KeyRegistry.isName(ruleId)) {
      return RuleChange.refused(400, "'" + ruleId + "' is not a valid id (1 to 64 letters, digits, '-' and '_')");
    }
    AccessRule rule;
    try {
      rule = AccessRule.of(ruleId, AccessRule.parseAction(action == null ? "" : action), target == null ? "" : target,
          value == null ? "" : value, notes == null ? "" : notes, file.toString());
    } catch (IllegalArgumentException e) {
      return RuleChange.refused(400, e.getMessage());
    }
    if (p.accessRules().rules().stream().anyMatch(r -> r.id().equals(ruleId))) {
      return RuleChange.refused(409, "access rule id '" + ruleId + "' is already used");
    }
    RuleChange change = rewrite(file, rules -> rules.add(rule), 201, rule);
    if (change.ok()) {
      LOG.info("access rule '{}' added: {}", ruleId, rule.text());
    }
    return change;
  }

  /** Removes a rule that lives in the managed rules file, and applies the change. */
  synchronized RuleChange remove(String id) {
    Policy p = current.get();
    AccessRule existing = p.accessRules().rules().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    if (existing == null) {
      return RuleChange.refused(404, "no access rule '" + id + "'");
    }
    Path file = p.accessRulesFile();
    if (file == null || !existing.origin().startsWith(file + ":")) {
      return RuleChange.refused(409, "access rule '" + id + "' is defined at " + existing.origin()
          + "; remove it there");
    }
    RuleChange change = rewrite(file, rules -> rules.removeIf(r -> r.id().equals(id)), 200, existing);
    if (change.ok()) {
      LOG.info("access rule '{}' removed: {}", id, existing.text());
    }
    return change;
  }

  /** The rules of the managed rules file in force, each as one line of JSON by id, in file order. */
  synchronized Map<String, String> encoded() {
    Policy p = current.get();
    if (p == encodedFor) {
      return encodedRules;
    }
    Path file = p.accessRulesFile();
    Map<String, String> out = new LinkedHashMap<>();
    if (file != null) {
      for (AccessRule r : p.accessRules().rules()) {
        if (r.origin().startsWith(file + ":")) {
          out.put(r.id(), AccessRulesFile.encode(r));
        }
      }
    }
    // A policy is immutable: its rules are encoded once, not at every comparison with a cluster's.
    encodedFor = p;
    encodedRules = java.util.Collections.unmodifiableMap(out);
    return encodedRules;
  }

  /**
   * Makes the managed rules file hold {@code encoded} (rules as {@link #encoded} gives them) and applies
   * it, unless it holds them already. A rule that cannot be read, or whose id is defined in the
   * properties, is skipped and logged: rules from elsewhere are never trusted blindly.
   *
   * @param from where the rules came from, for the log
   * @return whether the rules in force changed
   */
  synchronized boolean replace(Map<String, String> encoded, String from) {
    Policy p = current.get();
    Path file = p.accessRulesFile();
    if (file == null || encoded.equals(encoded())) {
      return false;
    }
    List<AccessRule> rules = new ArrayList<>();
    for (Map.Entry<String, String> e : encoded.entrySet()) {
      if (rules.size() == MAX_SHARED) {
        if (firstTime("", "too many")) {
          LOG.warn("{} holds more than {} access rules; the rest are skipped", from, MAX_SHARED);
        }
        break;
      }
      AccessRule r;
      try {
        r = AccessRulesFile.decode(e.getValue(), file.toString());
        if (!r.id().equals(e.getKey())) {
          throw new IllegalArgumentException("its id '" + r.id() + "' is not the id it is stored under");
        }
      } catch (IllegalArgumentException ex) {
        // Once per entry: the same corrupt entry is read again at every comparison.
        if (firstTime(e.getKey(), e.getValue())) {
          LOG.warn("access rule '{}' from {} skipped: {}", shown(e.getKey()), from, ex.getMessage());
        }
        continue;
      }
      boolean elsewhere = p.accessRules().rules().stream()
          .anyMatch(x -> x.id().equals(r.id()) && !x.origin().startsWith(file + ":"));
      if (elsewhere) {
        if (firstTime(e.getKey(), e.getValue())) {
          LOG.warn("access rule '{}' from {} skipped: the id is defined in the properties", r.id(), from);
        }
        continue;
      }
      rules.add(r);
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    rules.forEach(r -> wanted.put(r.id(), AccessRulesFile.encode(r)));
    if (wanted.equals(encoded())) {
      return false;
    }
    try {
      // Not forced to disk: the store holds these rules too, and gives them back at the next start.
      AccessRulesFile.write(file, rules, false);
    } catch (IOException e) {
      LOG.warn("cannot write {} with the access rules from {}: {}", file, from, e.getMessage());
      return false;
    }
    ReloadResult result = reload.get();
    if (result.applied()) {
      LOG.info("access rules from {} applied: {} in the managed rules file", from, rules.size());
    } else {
      LOG.warn("access rules from {} written to {} but the configuration does not load with them: {}", from, file,
          result.problems());
    }
    return result.applied();
  }

  /** Whether an entry that cannot be used is seen for the first time (at most 10,000 are remembered). */
  private boolean firstTime(String id, String rule) {
    return skipped.size() < 10_000 && skipped.add(id + '\0' + rule);
  }

  /** An id read from elsewhere, fit for a log line: printable ASCII, at most 64 characters. */
  private static String shown(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private RuleChange rewrite(Path file, Consumer<List<AccessRule>> edit, int status, AccessRule rule) {
    ConfigException.Collector problems = new ConfigException.Collector();
    List<AccessRule> rules = new ArrayList<>(AccessRulesFile.read(file, file.toString(), problems));
    if (!problems.isEmpty()) {
      return new RuleChange(409, null, "the managed rules file has problems; fix it first", problems.list());
    }
    byte[] before;
    try {
      before = Files.exists(file) ? Files.readAllBytes(file) : null;
      edit.accept(rules);
      AccessRulesFile.write(file, rules);
    } catch (IOException e) {
      return RuleChange.refused(500, "cannot write " + file + ": " + e.getMessage());
    }
    ReloadResult result = reload.get();
    if (result.applied()) {
      return RuleChange.done(status, rule);
    }
    try {
      if (before == null) {
        Files.deleteIfExists(file);
      } else {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".restore", ".tmp");
        Files.write(tmp, before);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      reload.get();
    } catch (IOException e) {
      LOG.error("could not restore {} after a rejected change", file, e);
    }
    return new RuleChange(422, null, "the configuration would not load with this change", result.problems());
  }
}
