package io.gatehouse.examples;

import com.google.common.html.HtmlEscapers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The application the demo protects: a home page, a JSON API endpoint and an admin page. It knows
 * nothing of Gatehouse; whatever reaches it was allowed.
 */
public class SampleSiteServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
    if (path.startsWith("/api/")) {
      resp.setContentType("application/json");
      resp.getWriter().write("{\"status\":\"ok\",\"path\":\"" + jsonEscape(path) + "\"}");
      return;
    }
    resp.setContentType("text/html;charset=utf-8");
    String title = path.startsWith("/admin") ? "Admin area" : "Welcome to the demo shop";
    resp.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
        + "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}"
        + "code{background:#f2f2f2;padding:.1rem .3rem}</style></head><body><h1>" + title + "</h1>"
        + "<p>You reached the application at <code>" + HtmlEscapers.htmlEscaper().escape(path) + "</code>."
        + " Gatehouse let this request through.</p>"
        + "<ul><li><a href=\"/\">Home</a></li><li><a href=\"/api/status\">API</a></li>"
        + "<li><a href=\"/admin\">Admin</a></li></ul></body></html>");
  }

  private static String jsonEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
