package io.gatehouse.servlet;

import com.google.common.html.HtmlEscapers;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard page: one self-contained HTML document (inline CSS, a nonce-allowed inline script, an
 * inline SVG chart, nothing loaded from elsewhere) that reads the admin API with the token the owner types
 * in. Everything it shows from events is set as text, never as markup.
 *
 * <p>Thread-safe.
 */
final class Dashboard {

  private static final String HTML = Resources.text("dashboard.html");
  private static final String SCRIPT = Resources.text("dashboard.js");

  void render(HttpServletResponse resp, String adminPath, boolean head) throws IOException {
    String nonce = SecurityHeaders.nonce();
    String page = HTML.replace("{{admin_path}}", HtmlEscapers.htmlEscaper().escape(adminPath))
        .replace("{{nonce}}", nonce).replace("{{script}}", SCRIPT);
    byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    resp.setContentType("text/html;charset=utf-8");
    SecurityHeaders.dashboardPage(resp, nonce);
    resp.setContentLength(bytes.length);
    if (!head) {
      resp.getOutputStream().write(bytes);
    }
  }
}
