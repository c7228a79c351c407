package io.gatehouse.core.engine;

/**
 * Where a visitor may be sent back after a challenge: a path on this site, never another site. The path
 * is taken from the challenged request itself and then carried inside the signed token, so nothing a
 * client submits can choose it; this check is the second line. Reached through
 * {@link Clearances#returnPath}.
 */
final class ReturnPaths {

  private ReturnPaths() {}

  /**
   * {@code candidate} if it is a plain same-origin path ({@code /x?y}), otherwise {@code "/"}. Rejected:
   * anything not starting with a single {@code /} ({@code //evil.example}, {@code https://...}), any
   * backslash (browsers read {@code /\evil.example} as {@code //evil.example}), control characters,
   * spaces, and anything over 2,048 characters.
   */
  static String sanitize(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > 2048 || candidate.charAt(0) != '/') {
      return "/";
    }
    if (candidate.length() > 1 && (candidate.charAt(1) == '/' || candidate.charAt(1) == '\\')) {
      return "/";
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '\\' || c > 0x7e) {
        return "/";
      }
    }
    return candidate;
  }
}
