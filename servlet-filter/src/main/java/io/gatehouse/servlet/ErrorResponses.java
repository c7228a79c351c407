package io.gatehouse.servlet;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import io.gatehouse.core.Decision;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.policy.Policy.PageSettings;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a refusal: HTTP 403 with the Ray ID and error code in headers, and a body in the format the
 * client prefers: a self-contained HTML page (or the owner's template for that code), JSON or plain
 * text; no body for {@code HEAD}. Every value that comes from the request is escaped.
 *
 * <p>Thread-safe.
 */
final class ErrorResponses {

  private static final Escaper HTML = HtmlEscapers.htmlEscaper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final Jsonb jsonb = JsonbBuilder.create();

  void render(RequestFacts facts, HttpServletResponse response, Decision d, PageSettings settings)
      throws IOException {
    ResponseFormat format = ResponseFormat.negotiate(facts.header("Accept"));
    response.resetBuffer();
    boolean limited = d.errorCode() == Decision.RATE_LIMITED;
    response.setStatus(limited ? 429 : HttpServletResponse.SC_FORBIDDEN);
    SecurityHeaders.errorPage(response, d);
    if (limited && d.retryAfterSeconds() > 0) {
      response.setHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
    }
    response.setHeader("Vary", "Accept");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentType(format.mediaType + ";charset=utf-8");
    String body = switch (format) {
      case HTML -> html(facts, d, settings);
      case JSON -> json(facts, d, settings);
      case TEXT -> text(facts, d, settings);
    };
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    if (!"HEAD".equalsIgnoreCase(facts.method())) {
      response.getOutputStream().write(bytes);
    }
    response.flushBuffer();
  }

  private static String timestamp(Decision d) {
    return TIME.format(d.time() == null ? Instant.EPOCH : d.time());
  }

  String html(RequestFacts facts, Decision d, PageSettings settings) {
    PageText text = PageText.of(d, facts.host(), settings);
    String template = settings.templates().get(d.errorCode());
    if (template != null) {
      return fill(template, values(facts, d, settings, text));
    }
    String code = Integer.toString(d.errorCode());
    String site = settings.siteName().isEmpty() ? facts.host() : settings.siteName();
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
        .append("<title>").append(esc(text.title()));
    if (!site.isEmpty()) {
      sb.append(" | ").append(esc(site));
    }
    sb.append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n")
        .append("<header>\n<h1><span class=\"code\">Error ").append(esc(code)).append("</span>")
        .append("<span class=\"meta\"><span>Ray ID: ").append(esc(d.rayId())).append("</span> &bull; <span>")
        .append(esc(timestamp(d))).append("</span></span></h1>\n")
        .append("<h2>").append(esc(text.title())).append("</h2>\n</header>\n")
        .append("<section class=\"explain\">\n<div>\n<h3>What happened?</h3>\n<p>")
        .append(esc(text.whatHappened())).append("</p>\n</div>\n<div>\n<h3>What can I do?</h3>\n<p>")
        .append(esc(text.whatCanIDo())).append("</p>\n</div>\n</section>\n")
        .append("<footer>\n<span>Gatehouse Ray ID: <strong>").append(esc(d.rayId())).append("</strong></span>")
        .append("<span class=\"sep\">&bull;</span><span>Your IP: ").append(esc(d.client().addressText()))
        .append("</span><span class=\"sep\">&bull;</span><span>Protected by Gatehouse</span>\n</footer>\n")
        .append("</main>\n</body>\n</html>\n");
    return sb.toString();
  }

  private String json(RequestFacts facts, Decision d, PageSettings settings) {
    PageText text = PageText.of(d, facts.host(), settings);
    return jsonb.toJson(new ErrorBody(d.errorCode(), d.errorName(), d.rayId(), d.client().addressText(),
        d.time() == null ? Instant.EPOCH.toString() : d.time().toString(), text.whatHappened()));
  }

  private static String text(RequestFacts facts, Decision d, PageSettings settings) {
    PageText text = PageText.of(d, facts.host(), settings);
    return "Error " + d.errorCode() + ": " + text.title() + "\n"
        + "Ray ID: " + d.rayId() + "\n"
        + "Time: " + timestamp(d) + "\n"
        + "Your IP: " + d.client().addressText() + "\n\n"
        + "What happened?\n" + text.whatHappened() + "\n\n"
        + "What can I do?\n" + text.whatCanIDo() + "\n";
  }

  private static Map<String, String> values(RequestFacts facts, Decision d, PageSettings settings, PageText text) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("error_code", Integer.toString(d.errorCode()));
    v.put("error_name", d.errorName());
    v.put("title", text.title());
    v.put("ray_id", d.rayId());
    v.put("timestamp", timestamp(d));
    v.put("client_ip", d.client().addressText());
    v.put("host", facts.host());
    v.put("path", facts.path());
    v.put("site_name", settings.siteName().isEmpty() ? facts.host() : settings.siteName());
    v.put("contact", settings.contact());
    v.put("what_happened", text.whatHappened());
    v.put("what_can_i_do", text.whatCanIDo());
    return v;
  }

  /** Replaces each {@code {{name}}} with its escaped value; names were checked when the template loaded. */
  static String fill(String template, Map<String, String> values) {
    return PageSettings.fill(template, name -> esc(values.getOrDefault(name, "")));
  }

  private static String esc(String s) {
    return HTML.escape(s == null ? "" : s);
  }

  /** The JSON body of a refusal. */
  @JsonbPropertyOrder({"errorCode", "errorName", "rayId", "clientIp", "timestamp", "detail"})
  public record ErrorBody(
      @JsonbProperty("error_code") int errorCode,
      @JsonbProperty("error_name") String errorName,
      @JsonbProperty("ray_id") String rayId,
      @JsonbProperty("client_ip") String clientIp,
      @JsonbProperty("timestamp") String timestamp,
      @JsonbProperty("detail") String detail) {}

  private static final String STYLE = """
      *{box-sizing:border-box}
      html{-webkit-text-size-adjust:100%}
      body{margin:0;background:#fff;color:#313131;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",\
      Roboto,"Helvetica Neue",Arial,sans-serif}
      main{max-width:60rem;margin:0 auto;padding:3rem 1.5rem 2rem}
      header{padding-bottom:1.5rem}
      h1{margin:0;font-weight:300;display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1rem}
      h1 .code{font-size:2.75rem;color:#404040}
      h1 .meta{font-size:.95rem;color:#6b6b6b;font-weight:400}
      h1 .meta span{white-space:nowrap}
      h2{margin:.25rem 0 0;font-size:2rem;font-weight:600;color:#1a1a1a}
      .explain{display:grid;grid-template-columns:1fr 1fr;gap:2.5rem;background:#f6f6f6;border-top:1px solid\
       #e2e2e2;border-bottom:1px solid #e2e2e2;padding:2rem 1.75rem;margin:0 -1.75rem}
      h3{margin:0 0 .6rem;font-size:1.35rem;font-weight:500;color:#1a1a1a}
      .explain p{margin:0;color:#404040}
      footer{margin-top:1.75rem;font-size:.85rem;color:#6b6b6b;display:flex;flex-wrap:wrap;\
      justify-content:center;gap:.25rem .6rem}
      footer strong{color:#313131;font-weight:600}
      @media (max-width:44rem){.explain{grid-template-columns:1fr;gap:1.5rem;margin:0 -1.5rem;\
      padding:1.5rem}h1 .code{font-size:2.25rem}h2{font-size:1.6rem}}
      """;
}
