package io.gatehouse.servlet;

import io.gatehouse.core.RequestFacts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path a request really names, as a container might route it: path parameters ({@code ;jsessionid})
 * removed, percent-encoding decoded, empty and {@code .} segments dropped, {@code ..} applied. Gatehouse
 * decides whether a request is for its admin endpoints on this form, so that no spelling of the admin
 * path ({@code //__gatehouse}, {@code /x/../__gatehouse}, {@code /%5F_gatehouse}, {@code /__gatehouse;x})
 * can reach the application or the endpoints without the checks.
 */
final class CanonicalPath {

  private CanonicalPath() {}

  static String of(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    return isCanonical(rawPath) ? rawPath : normalise(rawPath);
  }

  /**
   * The canonical path inside the application: the request's canonical path with the context path
   * ({@code /shop}) taken off, since the admin and challenge paths are relative to it, as the
   * application's own mappings are. A path outside the context path, which a container does not route
   * to this application, is kept whole.
   */
  static String inApplication(RequestFacts facts) {
    String path = of(facts.path());
    String ctx = facts.contextPath();
    if (ctx.isEmpty()) {
      return path;
    }
    String c = of(ctx);
    int n = c.endsWith("/") ? c.length() - 1 : c.length();
    if (n == 0 || !path.regionMatches(0, c, 0, n)) {
      return path;
    }
    if (path.length() == n) {
      return "/";
    }
    return path.charAt(n) == '/' ? path.substring(n) : path;
  }

  /** The canonical form, the long way. */
  static String normalise(String rawPath) {
    Deque<String> segments = new ArrayDeque<>();
    for (String raw : rawPath.split("/", -1)) {
      int semi = raw.indexOf(';');
      String segment = decode(semi >= 0 ? raw.substring(0, semi) : raw);
      // A decoded slash or backslash would start another segment in some containers; split again.
      for (String part : segment.replace('\\', '/').split("/", -1)) {
        if (part.isEmpty() || part.equals(".")) {
          continue;
        }
        if (part.equals("..")) {
          segments.pollLast();
        } else {
          segments.addLast(part);
        }
      }
    }
    String path = "/" + String.join("/", segments);
    // A trailing slash names a directory-like resource (the dashboard at /__gatehouse/); keep it.
    return rawPath.endsWith("/") && !segments.isEmpty() ? path + "/" : path;
  }

  /**
   * Whether the path is already in canonical form, as most are: it starts with a slash and holds no
   * empty, {@code .} or {@code ..} segment, no path parameter, no percent-encoding and no backslash.
   * A segment that merely starts with a dot ({@code /.well-known}) takes the long way, which keeps it.
   */
  static boolean isCanonical(String path) {
    if (path.charAt(0) != '/') {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' || c == ';' || c == '\\') {
        return false;
      }
      if (c == '/' && i + 1 < path.length() && (path.charAt(i + 1) == '/' || path.charAt(i + 1) == '.')) {
        return false;
      }
    }
    return true;
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
