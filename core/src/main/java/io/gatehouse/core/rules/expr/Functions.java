package io.gatehouse.core.rules.expr;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.FunctionChecker.Hmac;
import io.gatehouse.core.rules.expr.Nodes.Arr;
import io.gatehouse.core.rules.expr.Nodes.Cond;
import io.gatehouse.core.rules.expr.Nodes.Int;
import io.gatehouse.core.rules.expr.Nodes.Ip;
import io.gatehouse.core.rules.expr.Nodes.Str;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The compiled form of {@link FunctionChecker}'s functions, and what each does, as Cloudflare documents
 * it. Every function is total: a missing argument gives a missing result ({@code concat()} alone reads a
 * missing value as empty, as documented), and input it cannot read (bad Base64, invalid JSON) gives a
 * missing result too, so that every comparison on it is false. Work is linear in the input.
 *
 * <p>Stateless, but for one {@link Mac} per thread for {@code is_timed_hmac_valid_v0()}.
 */
final class Functions {

  private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no HmacSHA256", e);
    }
  });

  private Functions() {}

  private static Checked.Value arg(Checked.Call call, int i) {
    return (Checked.Value) call.arguments().get(i);
  }

  // ---------------------------------------------------------------------------------------------------
  // Compiling a call

  static Str str(Checked.Call call) {
    switch (call.function()) {
      case "concat" -> {
        Str[] parts = call.arguments().stream().map(a -> Compiler.str((Checked.Value) a)).toArray(Str[]::new);
        return e -> {
          StringBuilder sb = new StringBuilder();
          for (Str p : parts) {
            String v = p.get(e);
            if (v != null) {
              sb.append(v);
            }
          }
          return sb.toString();
        };
      }
      case "decode_base64" -> {
        Str s = Compiler.str(arg(call, 0));
        return e -> decodeBase64(s.get(e));
      }
      case "encode_base64" -> {
        Str s = Compiler.str(arg(call, 0));
        String flags = (String) call.data();
        boolean urlSafe = flags.indexOf('u') >= 0;
        boolean padding = flags.indexOf('p') >= 0;
        return e -> encodeBase64(s.get(e), urlSafe, padding);
      }
      case "join" -> {
        Arr items = Compiler.array(arg(call, 0));
        Str separator = Compiler.str(arg(call, 1));
        return e -> {
          List<String> list = items.get(e);
          String sep = separator.get(e);
          return list == null || sep == null ? null : String.join(sep, list);
        };
      }
      case "substring" -> {
        Str s = Compiler.str(arg(call, 0));
        Int start = Compiler.integer(arg(call, 1));
        Int end = call.arguments().size() == 3 ? Compiler.integer(arg(call, 2)) : null;
        return e -> {
          String v = s.get(e);
          long from = start.get(e);
          long to = end == null ? Long.MAX_VALUE : end.get(e);
          return v == null || from == Nodes.MISSING || to == Nodes.MISSING ? null : substring(v, from, to);
        };
      }
      case "remove_bytes" -> {
        Str s = Compiler.str(arg(call, 0));
        byte[] bytes = (byte[]) call.data();
        return e -> {
          String v = s.get(e);
          return v == null ? null : removeBytes(v, bytes);
        };
      }
      case "remove_query_args" -> {
        Str s = Compiler.str(arg(call, 0));
        @SuppressWarnings("unchecked")
        Set<String> names = (Set<String>) call.data();
        return e -> {
          String v = s.get(e);
          return v == null ? null : removeQueryArgs(v, names);
        };
      }
      case "to_string" -> {
        return toStringOf(call);
      }
      case "regex_replace" -> {
        Str s = Compiler.str(arg(call, 0));
        Object[] data = (Object[]) call.data();
        Pattern pattern = (Pattern) data[0];
        Object[] replacement = (Object[]) data[1];
        return e -> {
          String v = s.get(e);
          return v == null ? null : regexReplace(v, pattern, replacement);
        };
      }
      case "wildcard_replace" -> {
        Str s = Compiler.str(arg(call, 0));
        Object[] data = (Object[]) call.data();
        Wildcard pattern = (Wildcard) data[0];
        Object[] replacement = (Object[]) data[1];
        return e -> {
          String v = s.get(e);
          return v == null ? null : wildcardReplace(v, pattern, replacement);
        };
      }
      default -> { // lookup_json_string
        Str s = Compiler.str(arg(call, 0));
        Object[] path = (Object[]) call.data();
        return e -> Json.string(s.get(e), path);
      }
    }
  }

  private static Str toStringOf(Checked.Call call) {
    Checked a = call.arguments().get(0);
    Type type = (Type) call.data();
    if (type == Type.INTEGER) {
      Int n = Compiler.integer((Checked.Value) a);
      return e -> {
        long v = n.get(e);
        return v == Nodes.MISSING ? null : Long.toString(v);
      };
    }
    if (type == Type.IP) {
      Ip ip = Compiler.ip((Checked.Value) a);
      return e -> {
        IpAddress v = ip.get(e);
        return v == null ? null : v.toString();
      };
    }
    Cond b = Compiler.bool(a);
    return e -> b.test(e) ? "true" : "false";
  }

  static Int integer(Checked.Call call) {
    Str s = Compiler.str(arg(call, 0));
    Object[] path = (Object[]) call.data();
    return e -> Json.integer(s.get(e), path);
  }

  static Ip ip(Checked.Call call) {
    Ip ip = Compiler.ip(arg(call, 0));
    int[] bits = (int[]) call.data();
    int v4 = bits[0];
    int v6 = bits[1];
    return e -> {
      IpAddress v = ip.get(e);
      return v == null ? null : v.mask(v.isV4() ? v4 : v6);
    };
  }

  static Arr array(Checked.Call call) {
    if (call.function().equals("concat")) {
      Arr[] parts = call.arguments().stream().map(a -> Compiler.array((Checked.Value) a)).toArray(Arr[]::new);
      return e -> {
        List<String> out = new ArrayList<>();
        for (Arr p : parts) {
          List<String> v = p.get(e);
          if (v != null) {
            out.addAll(v);
          }
        }
        return Collections.unmodifiableList(out);
      };
    }
    Str s = Compiler.str(arg(call, 0));
    Object[] data = (Object[]) call.data();
    String separator = (String) data[0];
    int limit = (Integer) data[1];
    return e -> {
      String v = s.get(e);
      return v == null ? null : split(v, separator, limit);
    };
  }

  static Cond cond(Checked.Call call) {
    Str message = Compiler.str(arg(call, 0));
    Int now = Compiler.integer(arg(call, 1));
    Hmac hmac = (Hmac) call.data();
    return e -> timedHmacValid(hmac, message.get(e), now.get(e));
  }

  // ---------------------------------------------------------------------------------------------------
  // What the functions do

  /** Standard or URL-safe Base64, padded or not; {@code null} for anything else. */
  static String decodeBase64(String s) {
    if (s == null) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7F) {
        return null;
      }
    }
    boolean urlSafe = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
    try {
      byte[] b = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder())
          .decode(s.getBytes(StandardCharsets.ISO_8859_1));
      return Text.fromBytes(b, 0, b.length);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Base64 of the UTF-8 bytes: standard or URL-safe, without padding unless asked, as Cloudflare's default. */
  static String encodeBase64(String s, boolean urlSafe, boolean padding) {
    if (s == null) {
      return null;
    }
    Base64.Encoder encoder = urlSafe ? Base64.getUrlEncoder() : Base64.getEncoder();
    if (!padding) {
      encoder = encoder.withoutPadding();
    }
    return encoder.encodeToString(Text.toBytes(s));
  }

  /**
   * The bytes from {@code start} up to {@code end} (excluded) of the UTF-8 of {@code s}; a negative index
   * counts from the end; indexes beyond either end are clamped, and an empty range gives {@code ""}.
   */
  static String substring(String s, long start, long end) {
    boolean ascii = isAscii(s);
    byte[] b = ascii ? null : Text.toBytes(s);
    long n = ascii ? s.length() : b.length;
    long from = clamp(start < 0 ? n + start : start, n);
    long to = clamp(end < 0 ? n + end : end, n);
    if (from >= to) {
      return "";
    }
    return ascii ? s.substring((int) from, (int) to) : Text.fromBytes(b, (int) from, (int) to);
  }

  private static long clamp(long i, long n) {
    return Math.max(0, Math.min(n, i));
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** The UTF-8 of {@code s} without any of {@code bytes}. */
  static String removeBytes(String s, byte[] bytes) {
    boolean[] drop = new boolean[256];
    for (byte x : bytes) {
      drop[x & 0xFF] = true;
    }
    byte[] b = Text.toBytes(s);
    byte[] out = new byte[b.length];
    int n = 0;
    for (byte x : b) {
      if (!drop[x & 0xFF]) {
        out[n++] = x;
      }
    }
    return n == b.length ? s : Text.fromBytes(out, 0, n);
  }

  /** The query without the arguments named in {@code names}, every occurrence, the rest in order. */
  static String removeQueryArgs(String query, Set<String> names) {
    StringBuilder out = new StringBuilder(query.length());
    int i = 0;
    while (i <= query.length()) {
      int end = query.indexOf('&', i);
      if (end < 0) {
        end = query.length();
      }
      String piece = query.substring(i, end);
      int eq = piece.indexOf('=');
      String name = eq < 0 ? piece : piece.substring(0, eq);
      if (!piece.isEmpty() && !names.contains(name)) {
        if (out.length() > 0) {
          out.append('&');
        }
        out.append(piece);
      }
      i = end + 1;
    }
    return out.toString();
  }

  /** {@code s} cut at each {@code separator}, into at most {@code limit} pieces, the last holding the rest. */
  static List<String> split(String s, String separator, int limit) {
    List<String> out = new ArrayList<>(Math.min(limit, 8));
    int i = 0;
    while (out.size() < limit - 1) {
      int at = s.indexOf(separator, i);
      if (at < 0) {
        break;
      }
      out.add(s.substring(i, at));
      i = at + separator.length();
    }
    out.add(s.substring(i));
    return Collections.unmodifiableList(out);
  }

  /** The first match of {@code pattern} in {@code s} replaced; {@code s} itself when there is none. */
  static String regexReplace(String s, Pattern pattern, Object[] replacement) {
    Matcher m = pattern.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    out.append(s, 0, m.start());
    for (Object part : replacement) {
      if (part instanceof Integer group) {
        String g = m.group(group);
        out.append(g == null ? "" : g);
      } else {
        out.append((String) part);
      }
    }
    out.append(s, m.end(), s.length());
    return out.toString();
  }

  /** {@code s} replaced when the pattern matches all of it; {@code s} itself when it does not. */
  static String wildcardReplace(String s, Wildcard pattern, Object[] replacement) {
    String[] captures = pattern.captures(s);
    if (captures == null) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (Object part : replacement) {
      out.append(part instanceof Integer group ? captures[group - 1] : (String) part);
    }
    return out.toString();
  }

  /**
   * Whether {@code messageMac} is {@code message}, a separator of {@code hmac.separator()} characters, a
   * 10-digit timestamp, {@code -} and the Base64 HMAC-SHA256 of the message and the timestamp (URL-encoded,
   * or URL-safe without padding when {@code hmac.urlSafe()}), and {@code now} is less than the timestamp
   * plus {@code hmac.ttl()} seconds.
   */
  static boolean timedHmacValid(Hmac hmac, String messageMac, long now) {
    if (messageMac == null || now == Nodes.MISSING) {
      return false;
    }
    int dash;
    String mac;
    if (hmac.urlSafe()) {
      dash = messageMac.length() - 44;
      if (dash < 0 || messageMac.charAt(dash) != '-') {
        return false;
      }
      mac = messageMac.substring(dash + 1);
    } else {
      dash = messageMac.lastIndexOf('-');
      mac = dash < 0 ? "" : messageMac.substring(dash + 1);
      if (mac.length() < 43) {
        return false;
      }
    }
    int stamp = dash - 10;
    int messageEnd = stamp - hmac.separator();
    if (messageEnd < 1) {
      return false;
    }
    long issued = 0;
    for (int i = stamp; i < dash; i++) {
      char c = messageMac.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      issued = issued * 10 + (c - '0');
    }
    // Valid while now < issued + ttl, as Cloudflare documents the expiry.
    if (now - issued >= hmac.ttl()) {
      return false;
    }
    byte[] given;
    try {
      given = hmac.urlSafe() ? Base64.getUrlDecoder().decode(mac) : Base64.getDecoder().decode(percentDecode(mac));
    } catch (IllegalArgumentException e) {
      return false;
    }
    String signed = messageMac.substring(0, messageEnd) + messageMac.substring(stamp, dash);
    try {
      Mac m = HMAC_SHA256.get();
      m.init(new SecretKeySpec(hmac.key(), "HmacSHA256"));
      return MessageDigest.isEqual(m.doFinal(Text.toBytes(signed)), given);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** {@code %XX} decoded, anything else as it is ({@code +} stays: it is Base64's). */
  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0 && s.charAt(i + 1) < 128 && s.charAt(i + 2) < 128) {
          out.append((char) (hi << 4 | lo));
          i += 2;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}
