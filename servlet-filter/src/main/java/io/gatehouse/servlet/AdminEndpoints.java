package io.gatehouse.servlet;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.ReloadResult;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.RuleChange;
import io.gatehouse.core.policy.Policy.AdminSettings;
import io.gatehouse.core.rules.AccessRule;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The admin endpoints under {@code gatehouse.admin.path}: events, event by Ray ID, statistics, explain,
 * access rules, reload, status, and the dashboard page. They exist only when {@code gatehouse.admin.token}
 * is set. Every data endpoint needs {@code Authorization: Bearer <token>} (compared in constant time; 401
 * without detail otherwise); a client outside {@code gatehouse.admin.allowed-ips} gets 404, as if nothing
 * were there. The dashboard page itself carries no data and asks for the token, which it keeps in the
 * tab's session storage and sends as a header, never as a cookie, so no other site can make a browser
 * use it.
 *
 * <p>Here are the access checks and which endpoint a path and method name; {@link AdminParams} reads
 * what a request asks for and {@link AdminViews} turns the engine's answer into JSON.
 *
 * <p>Thread-safe.
 */
final class AdminEndpoints {

  private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withFormatting(false));
  private final Dashboard dashboard = new Dashboard();

  /** Whether {@code canonicalPath} is under the admin path and the endpoints are on. */
  static boolean handles(AdminSettings admin, String canonicalPath) {
    return admin.enabled() && (canonicalPath.equals(admin.path()) || canonicalPath.startsWith(admin.path() + "/"));
  }

  /** Answers a request whose canonical path inside the application, {@code canonicalPath}, is an admin path. */
  void handle(Gatehouse g, RequestFacts facts, Decision decision, String canonicalPath, HttpServletRequest req,
      HttpServletResponse resp) throws IOException {
    AdminSettings admin = g.admin();
    SecurityHeaders.admin(resp, g.newRayId());
    if (!admin.allows(decision.client().address())) {
      resp.setStatus(404);
      return;
    }
    String sub = canonicalPath.substring(admin.path().length());
    // What a browser asks for: the admin path inside this application's context path.
    String base = facts.contextPath() + admin.path();
    String method = facts.method().toUpperCase(Locale.ROOT);
    if ((sub.isEmpty() || sub.equals("/")) && (method.equals("GET") || method.equals("HEAD"))) {
      if (sub.isEmpty()) {
        resp.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
        resp.setHeader("Location", base + "/");
        return;
      }
      dashboard.render(resp, base, method.equals("HEAD"));
      return;
    }
    if (!admin.authorizes(facts.header("Authorization"))) {
      resp.setStatus(401);
      resp.setHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
      return;
    }
    try {
      route(g, method, sub, req, resp);
    } catch (BadRequest e) {
      json(resp, 400, AdminViews.error(e.getMessage()));
    }
  }

  private void route(Gatehouse g, String method, String sub, HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    switch (sub) {
      case "/events" -> {
        requireMethod(method, "GET");
        var query = AdminParams.events(req, g.clock());
        Gatehouse.EventView view = g.eventView();
        json(resp, 200, AdminViews.events(view.log().query(query), view));
      }
      case "/stats" -> {
        requireMethod(method, "GET");
        AdminParams.Stats q = AdminParams.stats(req, g.clock());
        Gatehouse.EventView view = g.eventView();
        json(resp, 200, AdminViews.stats(view.log().stats(q.since(), q.until(), q.bucket(), q.top()), view));
      }
      case "/explain" -> {
        requireMethod(method, "GET");
        json(resp, 200, AdminViews.explanation(g.explain(AdminParams.explain(req))));
      }
      case "/access-rules" -> {
        if (method.equals("GET")) {
          json(resp, 200, AdminViews.rules(g));
        } else if (method.equals("POST")) {
          addRule(g, req, resp);
        } else {
          throw new BadRequest("use GET or POST");
        }
      }
      case "/reload" -> {
        requireMethod(method, "POST");
        ReloadResult r = g.reload(AdminParams.force(req));
        json(resp, r.applied() ? 200 : 422, AdminViews.reload(r));
      }
      case "/status" -> {
        requireMethod(method, "GET");
        json(resp, 200, AdminViews.status(g.status()));
      }
      default -> routeById(g, method, sub, resp);
    }
  }

  /** {@code GET events/<ray>} and {@code DELETE access-rules/<id>}; anything else is not there. */
  private void routeById(Gatehouse g, String method, String sub, HttpServletResponse resp) throws IOException {
    if (sub.startsWith("/events/") && method.equals("GET")) {
      String ray = sub.substring("/events/".length());
      // This instance's own log first: its events are there at once, and it needs no store.
      var found = g.events().findByRay(ray).or(() -> g.eventView().log().findByRay(ray));
      if (found.isPresent()) {
        json(resp, 200, found.get().toMap());
      } else {
        json(resp, 404, AdminViews.error("no event with Ray ID " + ray));
      }
    } else if (sub.startsWith("/access-rules/") && method.equals("DELETE")) {
      RuleChange c = g.removeAccessRule(sub.substring("/access-rules/".length()));
      if (c.ok()) {
        resp.setStatus(204);
      } else {
        json(resp, c.status(), AdminViews.change(c));
      }
    } else {
      json(resp, 404, AdminViews.error("no such endpoint"));
    }
  }

  private static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw new BadRequest("use " + expected);
    }
  }

  private void addRule(Gatehouse g, HttpServletRequest req, HttpServletResponse resp) throws IOException {
    AdminParams.NewRule n = AdminParams.newRule(req, jsonb);
    RuleChange c = g.addAccessRule(n.id(), n.action(), n.target(), n.value(), n.notes());
    if (c.ok()) {
      // The rule as the reload installed it, with its origin in the managed file: what a later GET lists.
      AccessRule added = g.accessRules().stream().filter(r -> r.id().equals(c.rule().id()))
          .findFirst().orElse(c.rule());
      json(resp, c.status(), AdminViews.rule(added, true));
    } else {
      json(resp, c.status(), AdminViews.change(c));
    }
  }

  private void json(HttpServletResponse resp, int status, Object body) throws IOException {
    byte[] bytes = jsonb.toJson(body).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json;charset=utf-8");
    SecurityHeaders.adminJson(resp);
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }
}
