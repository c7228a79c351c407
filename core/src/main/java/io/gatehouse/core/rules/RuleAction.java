package io.gatehouse.core.rules;

import java.util.List;
import java.util.Locale;

/**
 * What a rule does when it matches: the one vocabulary of access rules and custom rules. Declared from
 * the weakest to the strongest, which is how access rules of equal specificity are ranked.
 */
public enum RuleAction {
  /** Record an event and go on. */
  LOG,
  /** Skip the named phases (custom rules only). */
  SKIP,
  /** Challenge: a clearance satisfies it. */
  CHALLENGE,
  /** Refuse the request. */
  BLOCK,
  /** Let the request through. */
  ALLOW;

  /** The lower-case word used in configuration, events and JSON. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The CDN's challenge actions, accepted so that pasted rules work: all mean {@link #CHALLENGE}. */
  public static final List<String> CHALLENGE_ALIASES = List.of("managed_challenge", "js_challenge",
      "interactive_challenge");

  /** The action written as {@code word} (any case; the CDN's challenge actions too), or {@code null}. */
  public static RuleAction fromId(String word) {
    String w = word.trim().toLowerCase(Locale.ROOT);
    if (CHALLENGE_ALIASES.contains(w)) {
      return CHALLENGE;
    }
    for (RuleAction a : values()) {
      if (a.id().equals(w)) {
        return a;
      }
    }
    return null;
  }
}
