package io.gatehouse.core.rules.expr;

/**
 * {@code lookup_json_string()} and {@code lookup_json_integer()}: one pass over a JSON document that
 * checks all of it and keeps the value at a path of names and array positions. Nothing is built but
 * that value.
 *
 * <p>Total: any text gives a value or {@code null} (not JSON, no such path, a value of another type, an
 * integer out of range, a document nested deeper than {@value #MAX_DEPTH}); the work is linear in the
 * text and the recursion bounded by the depth limit. Not thread-safe; one per lookup.
 */
final class Json {

  static final int MAX_DEPTH = 128;

  private final String s;
  private final Object[] path;
  private final boolean wantString;
  private int i;
  private Object found;

  private Json(String s, Object[] path, boolean wantString) {
    this.s = s;
    this.path = path;
    this.wantString = wantString;
  }

  /** The string at {@code path} (names are {@code String}s, positions {@code Long}s), or {@code null}. */
  static String string(String json, Object[] path) {
    return (String) lookup(json, path, true);
  }

  /** The integer at {@code path}, or {@link Nodes#MISSING}; {@code 42.0} and {@code 4e1} are not integers. */
  static long integer(String json, Object[] path) {
    Object v = lookup(json, path, false);
    return v == null ? Nodes.MISSING : (Long) v;
  }

  private static Object lookup(String json, Object[] path, boolean wantString) {
    if (json == null) {
      return null;
    }
    Json j = new Json(json, path, wantString);
    j.space();
    if (!j.value(0, true)) {
      return null;
    }
    j.space();
    return j.i == json.length() ? j.found : null;
  }

  private void space() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  /** Reads one value; {@code onPath} says whether the path so far leads here. False when the text is not JSON. */
  private boolean value(int depth, boolean onPath) {
    if (depth > MAX_DEPTH || i >= s.length()) {
      return false;
    }
    boolean target = onPath && depth == path.length;
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth, onPath && depth < path.length);
      case '[':
        return array(depth, onPath && depth < path.length);
      case '"': {
        String v = string();
        if (v == null) {
          return false;
        }
        if (target && wantString) {
          found = v;
        }
        return true;
      }
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      default:
        return number(target);
    }
  }

  private boolean word(String w) {
    if (!s.startsWith(w, i)) {
      return false;
    }
    i += w.length();
    return true;
  }

  private boolean object(int depth, boolean onPath) {
    i++;
    space();
    if (i < s.length() && s.charAt(i) == '}') {
      i++;
      return true;
    }
    boolean matched = false;
    while (true) {
      space();
      if (i >= s.length() || s.charAt(i) != '"') {
        return false;
      }
      String key = string();
      if (key == null) {
        return false;
      }
      space();
      if (i >= s.length() || s.charAt(i) != ':') {
        return false;
      }
      i++;
      space();
      // The first of repeated names is the one looked up.
      boolean here = onPath && !matched && key.equals(path[depth]);
      matched |= here;
      if (!value(depth + 1, here)) {
        return false;
      }
      space();
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        continue;
      }
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return true;
      }
      return false;
    }
  }

  private boolean array(int depth, boolean onPath) {
    i++;
    space();
    if (i < s.length() && s.charAt(i) == ']') {
      i++;
      return true;
    }
    long index = 0;
    while (true) {
      space();
      boolean here = onPath && path[depth] instanceof Long l && l == index;
      if (!value(depth + 1, here)) {
        return false;
      }
      index++;
      space();
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        continue;
      }
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return true;
      }
      return false;
    }
  }

  /** A string at the cursor, its escapes resolved, or {@code null} when it is not valid JSON. */
  private String string() {
    i++;
    StringBuilder sb = null;
    int start = i;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        String v = sb == null ? s.substring(start, i) : sb.append(s, start, i).toString();
        i++;
        return v;
      }
      if (c < 0x20) {
        return null;
      }
      if (c != '\\') {
        i++;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      sb.append(s, start, i);
      if (i + 1 >= s.length()) {
        return null;
      }
      char e = s.charAt(i + 1);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (i + 6 > s.length()) {
            return null;
          }
          int cp = 0;
          for (int k = i + 2; k < i + 6; k++) {
            int d = s.charAt(k) < 128 ? Character.digit(s.charAt(k), 16) : -1;
            if (d < 0) {
              return null;
            }
            cp = cp << 4 | d;
          }
          sb.append((char) cp);
          i += 4;
        }
        default -> {
          return null;
        }
      }
      i += 2;
      start = i;
    }
    return null;
  }

  private boolean number(boolean target) {
    int start = i;
    if (i < s.length() && s.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i == digits || s.charAt(digits) == '0' && i - digits > 1) {
      return false;
    }
    boolean integral = true;
    if (i < s.length() && s.charAt(i) == '.') {
      integral = false;
      i++;
      int frac = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == frac) {
        return false;
      }
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      integral = false;
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == exp) {
        return false;
      }
    }
    if (target && !wantString && integral && i - start <= 20) {
      try {
        long v = Long.parseLong(s, start, i, 10);
        if (v != Nodes.MISSING) {
          found = v;
        }
      } catch (NumberFormatException e) {
        // out of range: no integer there
      }
    }
    return true;
  }
}
