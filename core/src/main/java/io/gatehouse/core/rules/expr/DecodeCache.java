package io.gatehouse.core.rules.expr;

/**
 * {@code url_decode()} with a memory of the last value it decoded on each thread, for each combination of
 * options.
 *
 * <p>A site's rules often decode the same field, as in {@code lower(url_decode(http.request.uri.path))},
 * and the engine evaluates them one after the other against one request, whose {@link Expression.Context}
 * returns the same {@code String} to each. A value with nothing to decode costs a scan and is returned
 * as it is; a value that does change is decoded by the first rule and found here, by identity, by the
 * others, instead of being decoded and copied once per rule. Identity is a safe key: strings are
 * immutable, so the same instance always decodes to the same result.
 *
 * <p>Bounded: each thread remembers four inputs and their results, the last request's values, and holds
 * nothing but strings (so no class of this package outlives a redeployment through it). Thread-safe.
 */
final class DecodeCache {

  // Per thread: for each combination of options (recursive * 2 + unicode), the input and its result.
  private static final ThreadLocal<String[]> LAST = ThreadLocal.withInitial(() -> new String[8]);

  private DecodeCache() {}

  /** {@link Text#urlDecode}, remembered. */
  static String urlDecode(String s, boolean recursive, boolean unicode) {
    if (!mayChange(s)) {
      return s;
    }
    String[] last = LAST.get();
    int slot = 2 * ((recursive ? 2 : 0) + (unicode ? 1 : 0));
    if (last[slot] == s) {
      return last[slot + 1];
    }
    String decoded = Text.urlDecode(s, recursive, unicode);
    last[slot] = s;
    last[slot + 1] = decoded;
    return decoded;
  }

  /** Whether decoding could change {@code s}: whether it has a '%' or a '+'. */
  private static boolean mayChange(String s) {
    int n = s.length();
    if (n > 32) {
      return s.indexOf('%') >= 0 || s.indexOf('+') >= 0;
    }
    // A short value (most paths) is cheaper to look through once than with two scans.
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+') {
        return true;
      }
    }
    return false;
  }
}
