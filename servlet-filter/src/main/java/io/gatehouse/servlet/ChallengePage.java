package io.gatehouse.servlet;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import io.gatehouse.core.Challenge;
import io.gatehouse.core.Decision;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.Source;
import io.gatehouse.core.policy.Policy.PageSettings;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The challenge page: self-contained HTML whose inline script solves a small proof of work and posts it
 * back, after which the visitor lands on the page they asked for with a clearance cookie. Nothing is
 * loaded from elsewhere; the script runs under a per-response nonce and the page may post only to this
 * site. Without JavaScript the page explains what is needed.
 *
 * <p>Thread-safe.
 */
final class ChallengePage {

  private static final Escaper HTML = HtmlEscapers.htmlEscaper();
  private static final String SCRIPT = Resources.text("challenge.js");

  void render(RequestFacts facts, HttpServletResponse response, Decision d, Challenge c, PageSettings settings)
      throws IOException {
    String nonce = SecurityHeaders.nonce();
    response.resetBuffer();
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    SecurityHeaders.challengePage(response, d, nonce);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentType("text/html;charset=utf-8");
    byte[] body = html(facts, d, c, settings, nonce).getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    if (!"HEAD".equalsIgnoreCase(facts.method())) {
      response.getOutputStream().write(body);
    }
    response.flushBuffer();
  }

  static String html(RequestFacts facts, Decision d, Challenge c, PageSettings settings, String nonce) {
    String site = settings.siteName().isEmpty() ? facts.host() : settings.siteName();
    String shownSite = site.isEmpty() ? "This website" : site;
    StringBuilder sb = new StringBuilder(12_000);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
        .append("<title>Just a moment\u2026").append(site.isEmpty() ? "" : " | " + esc(site)).append("</title>\n")
        .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n")
        .append("<div class=\"site\">").append(SHIELD).append("<span>").append(esc(shownSite)).append("</span></div>\n")
        .append("<h1>Verifying you are human. This may take a few seconds.</h1>\n")
        .append("<p class=\"lead\">").append(esc(shownSite))
        .append(" needs to check the security of your connection before you continue.</p>\n")
        .append("<div class=\"status\"><span class=\"spinner\" aria-hidden=\"true\"></span>")
        .append("<span id=\"gh-status\" role=\"status\">Checking your browser\u2026</span></div>\n")
        .append("<noscript><style>.status{display:none}</style><div class=\"noscript\">"
            + "<strong>JavaScript is needed to continue.</strong> This check runs a small calculation in your"
            + " browser to tell visitors from automated programs; nothing is sent anywhere else. Turn on"
            + " JavaScript for this site and reload the page.</div></noscript>\n")
        .append("<form id=\"gh-form\" method=\"post\" action=\"").append(esc(facts.contextPath() + c.verifyPath()))
        .append("\" data-difficulty=\"").append(c.difficulty()).append("\">")
        .append("<input type=\"hidden\" name=\"token\" value=\"").append(esc(c.token())).append("\">")
        .append("<input type=\"hidden\" name=\"counter\" value=\"\">")
        .append("<input type=\"hidden\" name=\"ms\" value=\"\"></form>\n")
        .append("<p class=\"why\">").append(esc(why(d))).append("</p>\n")
        .append("<footer><span>Ray ID: <strong>").append(esc(d.rayId())).append("</strong></span>")
        .append("<span class=\"sep\">&bull;</span><span>Your IP: ").append(esc(d.client().addressText()))
        .append("</span><span class=\"sep\">&bull;</span><span>Protected by Gatehouse</span></footer>\n")
        .append("</main>\n<script nonce=\"").append(nonce).append("\">\n").append(SCRIPT).append("</script>\n")
        .append("</body>\n</html>\n");
    return sb.toString();
  }

  /** Why this visitor is asked, in words that do not accuse anyone. */
  static String why(Decision d) {
    if (d.source() == Source.SECURITY_LEVEL && "under_attack".equals(d.ruleId())) {
      return "This site is checking every visitor at the moment to keep out an attack. It asks once; then you"
          + " can browse as usual.";
    }
    return "Checks like this keep out automated traffic. Your address (" + d.client().addressText()
        + ") is shared with others or has been used for suspicious activity, so this site asks once before"
        + " letting you in.";
  }

  private static String esc(String s) {
    return HTML.escape(s == null ? "" : s);
  }

  private static final String SHIELD = "<svg width=\"28\" height=\"28\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">"
      + "<path fill=\"#2f6f4f\" d=\"M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3z\"/>"
      + "<path fill=\"#fff\" d=\"m10.6 15.2-3-3 1.4-1.4 1.6 1.6 4.4-4.4 1.4 1.4z\"/></svg>";

  private static final String STYLE = """
      *{box-sizing:border-box}
      body{margin:0;background:#fff;color:#313131;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",\
      Roboto,"Helvetica Neue",Arial,sans-serif}
      main{max-width:40rem;margin:0 auto;padding:4rem 1.5rem 2rem}
      .site{display:flex;align-items:center;gap:.6rem;font-size:1.6rem;font-weight:600;color:#1a1a1a;\
      overflow-wrap:anywhere}
      h1{font-size:1.35rem;font-weight:500;margin:1.5rem 0 .5rem;color:#1a1a1a}
      .lead{margin:0 0 1.75rem;color:#404040}
      .status{display:flex;align-items:center;gap:.8rem;border:1px solid #d9d9d9;border-radius:6px;\
      padding:1rem 1.2rem;background:#fafafa;max-width:24rem}
      .spinner{width:22px;height:22px;border-radius:50%;border:3px solid #d7e7de;border-top-color:#2f6f4f;\
      animation:spin .9s linear infinite;flex:none}
      [data-solved] .spinner{animation:none;border-color:#2f6f4f}
      @keyframes spin{to{transform:rotate(360deg)}}
      .noscript{margin-top:1.25rem;padding:1rem 1.2rem;border-left:4px solid #b45309;background:#fff7ed;color:#431407}
      .why{margin-top:2rem;font-size:.9rem;color:#6b6b6b}
      footer{margin-top:3rem;padding-top:1rem;border-top:1px solid #e2e2e2;font-size:.85rem;color:#6b6b6b;\
      display:flex;flex-wrap:wrap;gap:.25rem .6rem}
      footer strong{color:#313131;font-weight:600}
      @media (prefers-reduced-motion:reduce){.spinner{animation-duration:3s}}
      """;
}
