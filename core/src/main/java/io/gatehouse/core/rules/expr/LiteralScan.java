package io.gatehouse.core.rules.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Many literals searched for in one pass over a value: an Aho–Corasick automaton, made deterministic, over
 * {@linkplain Guard#fold folded} characters. Each literal carries the rules that need it; a scan reports
 * the rules of every literal the value holds to a {@link RuleIndex.Hits}.
 *
 * <p>The characters of the literals are numbered (every other character is one class), and each state has
 * a row of next states by class, so a scan costs two array reads per character of the value, whatever the
 * number of literals; at the root, characters that start no literal are skipped by a cheaper test. A next state that ends a literal is stored negated, so the scan looks at nothing
 * else until a literal ends. The table is bounded ({@link #MAX_CELLS}); literals that would not fit are
 * left out, and {@link #leftOut()} names their rules so that the index evaluates those for every request.
 *
 * <p>Immutable and thread-safe once built.
 */
final class LiteralScan {

  /** At most this many table cells (four bytes each) per scanned value. */
  static final int MAX_CELLS = 1 << 22;

  private final int classes;
  private final int[] asciiClass; // class of each ASCII character, folded
  private final char[] wide; // the other characters of the literals, sorted
  private final int[] wideClass;
  private final int kelvinClass; // U+212A folds to k, U+017F to s
  private final int longSClass;
  private final int[] next; // state * classes + class -> next state * classes, negated (~) if it has output
  private final int[][] rules; // per state: the rules of the literal ending there, or null
  private final int[] suffix; // per state: the nearest proper suffix state with rules, or -1
  private final int[] leftOut;
  private final boolean[] startsAscii; // whether an ASCII character leaves the root

  private LiteralScan(int classes, int[] asciiClass, char[] wide, int[] wideClass, int[] next, int[][] rules,
      int[] suffix, int[] leftOut) {
    this.classes = classes;
    this.asciiClass = asciiClass;
    this.wide = wide;
    this.wideClass = wideClass;
    this.kelvinClass = classOf(Guard.fold('\u212a'), asciiClass, wide, wideClass);
    this.longSClass = classOf(Guard.fold('\u017f'), asciiClass, wide, wideClass);
    this.next = next;
    this.rules = rules;
    this.suffix = suffix;
    this.leftOut = leftOut;
    this.startsAscii = new boolean[128];
    for (char ch = 0; ch < 128; ch++) {
      startsAscii[ch] = next[asciiClass[ch]] != 0;
    }
  }

  /**
   * Builds the automaton for {@code literals}: each folded, non-empty literal with the rules (ascending)
   * that need it. Literals are added in the order given until the table is full.
   */
  static LiteralScan build(Map<String, int[]> literals) {
    // Classes: 0 for every character no literal has, then one per character the literals have.
    TreeSet<Character> chars = new TreeSet<>();
    for (String literal : literals.keySet()) {
      for (int i = 0; i < literal.length(); i++) {
        chars.add(literal.charAt(i));
      }
    }
    int classes = chars.size() + 1;
    int[] asciiClass = new int[128];
    List<Character> wideChars = new ArrayList<>();
    int c = 1;
    Map<Character, Integer> classOf = new LinkedHashMap<>();
    for (char ch : chars) {
      classOf.put(ch, c);
      if (ch < 128) {
        asciiClass[ch] = c;
      } else {
        wideChars.add(ch);
      }
      c++;
    }
    for (char up = 'A'; up <= 'Z'; up++) {
      asciiClass[up] = asciiClass[up + 32];
    }
    char[] wide = new char[wideChars.size()];
    int[] wideClass = new int[wide.length];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = wideChars.get(i);
      wideClass[i] = classOf.get(wide[i]);
    }

    // The trie, as rows of classes; -1 where there is no child yet.
    int maxStates = MAX_CELLS / classes;
    int[] next = new int[classes * 16];
    Arrays.fill(next, -1);
    int states = 1;
    List<int[]> ruleOf = new ArrayList<>();
    ruleOf.add(null);
    List<Integer> left = new ArrayList<>();
    for (Map.Entry<String, int[]> e : literals.entrySet()) {
      String literal = e.getKey();
      int s = 0;
      int at = 0;
      while (at < literal.length() && next[s * classes + classOf.get(literal.charAt(at))] >= 0) {
        s = next[s * classes + classOf.get(literal.charAt(at))];
        at++;
      }
      if (states + literal.length() - at > maxStates) {
        for (int r : e.getValue()) {
          left.add(r);
        }
        continue;
      }
      for (; at < literal.length(); at++) {
        if ((states + 1) * classes > next.length) {
          int old = next.length;
          next = Arrays.copyOf(next, Math.max(old * 2, (states + 1) * classes));
          Arrays.fill(next, old, next.length, -1);
        }
        next[s * classes + classOf.get(literal.charAt(at))] = states;
        ruleOf.add(null);
        s = states++;
      }
      ruleOf.set(s, union(ruleOf.get(s), e.getValue()));
    }
    next = Arrays.copyOf(next, states * classes);

    // Failure links, breadth first, turning the trie into a full transition table.
    int[] fail = new int[states];
    int[] suffix = new int[states];
    Arrays.fill(suffix, -1);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int k = 0; k < classes; k++) {
      int child = next[k];
      if (child < 0) {
        next[k] = 0;
      } else {
        fail[child] = 0;
        queue.add(child);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      int f = fail[s];
      suffix[s] = ruleOf.get(f) != null ? f : suffix[f];
      for (int k = 0; k < classes; k++) {
        int child = next[s * classes + k];
        if (child < 0) {
          next[s * classes + k] = next[f * classes + k];
        } else {
          fail[child] = next[f * classes + k];
          queue.add(child);
        }
      }
    }
    int[][] rules = ruleOf.toArray(new int[0][]);
    for (int i = 0; i < next.length; i++) {
      int t = next[i];
      next[i] = rules[t] != null || suffix[t] >= 0 ? ~(t * classes) : t * classes;
    }
    int[] leftOut = left.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    return new LiteralScan(classes, asciiClass, wide, wideClass, next, rules, suffix, leftOut);
  }

  private static int[] union(int[] a, int[] b) {
    if (a == null) {
      return b;
    }
    return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b)).sorted().distinct().toArray();
  }

  private static int classOf(char folded, int[] asciiClass, char[] wide, int[] wideClass) {
    if (folded < 128) {
      return asciiClass[folded];
    }
    int i = Arrays.binarySearch(wide, folded);
    return i < 0 ? 0 : wideClass[i];
  }

  /** The rules whose literals did not fit, ascending: the index must evaluate them for every request. */
  int[] leftOut() {
    return leftOut;
  }

  /** How many states the automaton has. */
  int states() {
    return next.length / classes;
  }

  /**
   * Reports to {@code hits} the rules of every literal {@code value} holds, folded; returns {@code hits},
   * or a new one when it was {@code null} and something was found (for an index of {@code size}
   * rules). Stops early once {@code hits} is full.
   */
  RuleIndex.Hits scan(String value, RuleIndex.Hits hits, int size) {
    int[] table = next;
    int[] ascii = asciiClass;
    boolean[] starts = startsAscii;
    int s = 0;
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char ch = value.charAt(i);
      if (s == 0) {
        // At the root, skip what starts no literal: these reads do not wait on one another as the
        // transitions do, so the run costs a fraction of a transition a character.
        while (ch < 128 && !starts[ch]) {
          if (++i == n) {
            return hits;
          }
          ch = value.charAt(i);
        }
      }
      int k = ch < 128 ? ascii[ch] : wideClassOf(ch);
      s = table[s + k];
      if (s < 0) {
        s = ~s;
        hits = report(s / classes, hits, size);
        if (hits.full()) {
          return hits;
        }
      }
    }
    return hits;
  }

  private int wideClassOf(char ch) {
    if (ch == '\u212a') {
      return kelvinClass;
    }
    if (ch == '\u017f') {
      return longSClass;
    }
    if (wide.length == 0) {
      return 0;
    }
    int i = Arrays.binarySearch(wide, ch);
    return i < 0 ? 0 : wideClass[i];
  }

  private RuleIndex.Hits report(int state, RuleIndex.Hits hits, int size) {
    for (int t = state; t >= 0; t = suffix[t]) {
      if (rules[t] != null) {
        hits = RuleIndex.Hits.add(hits, rules[t], size);
      }
    }
    return hits;
  }
}
