package io.gatehouse.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the error pages show besides the decision: the site's name, a contact, and templates that
 * replace the built-in page for an error code.
 *
 * @param siteName shown in the page's title and text; empty to use the request's host
 * @param contact an e-mail address, URL or sentence telling a visitor whom to ask; may be empty
 * @param templates HTML templates by error code, with {@code {{placeholder}}}s from {@link #PLACEHOLDERS}
 */
public record PageSettings(String siteName, String contact, Map<Integer, String> templates) {

  /**
   * The placeholders a template may use; each is replaced by an HTML-escaped value.
   */
  public static final Set<String> PLACEHOLDERS = Set.of(
      "error_code", "error_name", "title", "ray_id", "timestamp", "client_ip", "host", "path",
      "site_name", "contact", "what_happened", "what_can_i_do");

  /** The placeholder grammar: {@code {{name}}}, spaces allowed inside the braces. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  public PageSettings {
    siteName = siteName == null ? "" : siteName;
    contact = contact == null ? "" : contact;
    templates = Map.copyOf(templates);
  }

  /** The placeholders {@code template} uses that are not in {@link #PLACEHOLDERS}, in order. */
  public static List<String> unknownPlaceholders(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    List<String> unknown = new ArrayList<>();
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        unknown.add(m.group(1));
      }
    }
    return unknown;
  }

  /** {@code template} with each {@code {{name}}} replaced by {@code value(name)}, taken literally. */
  public static String fill(String template, Function<String, String> value) {
    return PLACEHOLDER.matcher(template).replaceAll(r -> Matcher.quoteReplacement(value.apply(r.group(1))));
  }

  public static PageSettings defaults() {
    return new PageSettings("", "", Map.of());
  }
}
