package io.gatehouse.core;

import java.util.Map;
import java.util.Set;

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

  public PageSettings {
    siteName = siteName == null ? "" : siteName;
    contact = contact == null ? "" : contact;
    templates = Map.copyOf(templates);
  }

  public static PageSettings defaults() {
    return new PageSettings("", "", Map.of());
  }
}
