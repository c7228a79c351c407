package io.gatehouse.core.bot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Finds known phrases in attacker-controlled text without regular expressions: a trie of lower-case
 * ASCII phrases walked from every word start, so a scan costs at most the text length times the longest
 * phrase and never backtracks.
 *
 * <p>A phrase matches only as whole words: the character before it must not be an ASCII letter or digit,
 * and the character after it must not be an ASCII letter. A digit may follow, because tools put versions
 * straight after their names ({@code zgrab2}, {@code Nessus5}). So {@code nikto} matches {@code Nikto/2.1}
 * and {@code (Nikto)} but not {@code niktos}, and {@code webinspect} does not match
 * {@code Webinspector}. Matching ignores ASCII case; other characters must be equal.
 *
 * <p>Instances are immutable once built and thread-safe.
 *
 * @param <T> what a phrase stands for
 */
final class PhraseMatcher<T> {

  private final Node<T> root;
  private final int maxScan;

  private PhraseMatcher(Node<T> root, int maxScan) {
    this.root = root;
    this.maxScan = maxScan;
  }

  /** A match: where the phrase starts and ends in the text, and its value. */
  record Match<T>(int start, int end, T value) {}

  /** Receives matches; returns {@code false} to stop the scan. */
  @FunctionalInterface
  interface Visitor<T> {
    boolean visit(CharSequence text, Match<T> match);
  }

  static <T> Builder<T> builder(int maxScan) {
    return new Builder<>(maxScan);
  }

  /** The first match in text order (the longest one at that position), or {@code null}. */
  Match<T> find(CharSequence text) {
    List<Match<T>> found = new ArrayList<>(1);
    scan(text, (t, m) -> {
      found.add(m);
      return false;
    });
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * Calls {@code visitor} for each match, in text order, the longest first where phrases share a start.
   * Only the first {@code maxScan} characters are looked at.
   */
  void scan(CharSequence text, Visitor<T> visitor) {
    int n = Math.min(text.length(), maxScan);
    for (int i = 0; i < n; i++) {
      if (!isAlnum(text.charAt(i)) || (i > 0 && isAlnum(text.charAt(i - 1)))) {
        continue;
      }
      Node<T> node = root;
      int bestEnd = -1;
      T best = null;
      for (int j = i; j < n && node != null; j++) {
        node = node.child(lower(text.charAt(j)));
        if (node != null && node.value != null && (j + 1 == text.length() || !isLetter(text.charAt(j + 1)))) {
          bestEnd = j + 1;
          best = node.value;
        }
      }
      if (best != null && !visitor.visit(text, new Match<>(i, bestEnd, best))) {
        return;
      }
    }
  }

  /**
   * The value of the phrase that is exactly {@code text[from, to)}, ignoring ASCII case, or {@code null}.
   * Allocates nothing.
   */
  T exact(CharSequence text, int from, int to) {
    Node<T> node = root;
    for (int i = from; i < to && node != null; i++) {
      node = node.child(lower(text.charAt(i)));
    }
    return node == null ? null : node.value;
  }

  static boolean isAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** Collects phrases. Not thread-safe; builds once. */
  static final class Builder<T> {
    private final Node<T> root = new Node<>();
    private final int maxScan;
    private boolean built;

    private Builder(int maxScan) {
      this.maxScan = maxScan;
    }

    /**
     * Adds a phrase. It must start with an ASCII letter or digit and be printable ASCII; adding the same
     * phrase twice with different values is a mistake in the table and is refused.
     */
    Builder<T> add(String phrase, T value) {
      if (built) {
        throw new IllegalStateException("already built");
      }
      Objects.requireNonNull(value, "value");
      if (phrase.isEmpty() || !isAlnum(phrase.charAt(0))) {
        throw new IllegalArgumentException("a phrase starts with a letter or digit: '" + phrase + "'");
      }
      Node<T> node = root;
      for (int i = 0; i < phrase.length(); i++) {
        char c = phrase.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException("a phrase is printable ASCII: '" + phrase + "'");
        }
        node = node.childOrNew(lower(c));
      }
      if (node.value != null && !node.value.equals(value)) {
        throw new IllegalArgumentException("phrase '" + phrase.toLowerCase(Locale.ROOT) + "' is listed twice");
      }
      node.value = value;
      return this;
    }

    PhraseMatcher<T> build() {
      if (!built) {
        root.freeze();
        built = true;
      }
      return new PhraseMatcher<>(root, maxScan);
    }
  }

  /**
   * A trie node. Most nodes have one or two children, found by a short linear scan; nodes with many
   * (the root, above all) get a direct table over ASCII when the trie is built.
   */
  private static final class Node<T> {
    private char[] keys = new char[0];
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Node<T>[] children = new Node[0];
    private Node<T>[] table;
    T value;

    Node<T> child(char c) {
      Node<T>[] t = table;
      if (t != null) {
        return c < 128 ? t[c] : null;
      }
      char[] k = keys;
      for (int i = 0; i < k.length; i++) {
        if (k[i] == c) {
          return children[i];
        }
      }
      return null;
    }

    Node<T> childOrNew(char c) {
      Node<T> existing = child(c);
      if (existing != null) {
        return existing;
      }
      Node<T> created = new Node<>();
      keys = Arrays.copyOf(keys, keys.length + 1);
      children = Arrays.copyOf(children, children.length + 1);
      keys[keys.length - 1] = c;
      children[children.length - 1] = created;
      return created;
    }

    /** Builds the direct tables; the trie is not changed afterwards. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void freeze() {
      if (keys.length > 4) {
        Node<T>[] t = new Node[128];
        for (int i = 0; i < keys.length; i++) {
          t[keys[i]] = children[i]; // phrases are printable ASCII
        }
        table = t;
      }
      for (Node<T> child : children) {
        child.freeze();
      }
    }
  }
}
