package io.gatehouse.servlet;

import io.gatehouse.core.Action;
import io.gatehouse.core.Challenge;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts Gatehouse in front of a web application. Map it to {@code /*}, first in the chain.
 *
 * <p>In {@code web.xml}, the {@code config} init-param names the properties file:
 * {@code classpath:gatehouse.properties} (the default) or a file path. A configuration with problems
 * fails the filter's initialisation, and with it the application's start, listing every problem.
 * Programmatically, pass an engine: {@code new GatehouseFilter(Gatehouse.fromProperties(path))}.
 *
 * <p>Each request is mapped to {@link RequestFacts} and judged; an allowed request continues down the
 * chain untouched, a refused one gets the rendered 403. Thread-safe.
 */
public class GatehouseFilter implements Filter {

  /** The init-param naming the configuration. */
  public static final String CONFIG_PARAM = "config";
  /** The configuration used when the init-param is absent. */
  public static final String DEFAULT_CONFIG = "classpath:gatehouse.properties";

  /**
   * Request attribute: the client's address as Gatehouse resolved it behind the trusted proxies (a
   * {@code String}), or absent when the client is unknown.
   */
  public static final String CLIENT_IP_ATTRIBUTE = "gatehouse.client_ip";
  /** Request attribute: the Ray ID ({@code String}) of the events recorded for the request, when any were. */
  public static final String RAY_ID_ATTRIBUTE = "gatehouse.ray_id";
  /** Request attribute: the client's threat score ({@code Integer}, 0..100); 0 when nothing needed it. */
  public static final String THREAT_SCORE_ATTRIBUTE = "gatehouse.threat_score";
  /** Request attribute: the visitor's id ({@code String}, 16 hex digits), as {@code cf.unique_visitor_id}. */
  public static final String VISITOR_ID_ATTRIBUTE = "gatehouse.visitor_id";
  /**
   * Request attribute: the {@link Decision} itself. Its action is {@code allow} unless the request goes
   * through in {@code simulate} mode, where it is what would have been done.
   */
  public static final String DECISION_ATTRIBUTE = "gatehouse.decision";

  private static final Logger LOG = LoggerFactory.getLogger(GatehouseFilter.class);

  private final ErrorResponses responses = new ErrorResponses();
  private final ChallengePage challengePage = new ChallengePage();
  private final AdminEndpoints admin = new AdminEndpoints();
  private volatile Gatehouse gatehouse;
  private volatile DecisionMeter meter = DecisionMeter.NONE;
  private boolean ownsEngine;

  /** For {@code web.xml}: the engine is built in {@link #init} from the {@code config} init-param. */
  public GatehouseFilter() {}

  /** A filter over an engine built by the caller, who also closes it. */
  public GatehouseFilter(Gatehouse gatehouse) {
    this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    if (gatehouse != null) {
      return;
    }
    String spec = config.getInitParameter(CONFIG_PARAM);
    if (spec == null || spec.isBlank()) {
      spec = DEFAULT_CONFIG;
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = GatehouseFilter.class.getClassLoader();
    }
    try {
      gatehouse = Gatehouse.builder().config(ConfigSource.parse(spec, loader)).build();
      ownsEngine = true;
      // Built from web.xml, nobody else can bind the meters: Micrometer's global registry, if present.
      if (meter == DecisionMeter.NONE) {
        meter = DecisionMeter.global(gatehouse);
      }
    } catch (ConfigException e) {
      LOG.error("Gatehouse cannot start. {}", e.getMessage());
      throw new ServletException("Gatehouse cannot start. " + e.getMessage(), e);
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Gatehouse engine = gatehouse;
    if (engine == null) {
      throw new ServletException("GatehouseFilter was not initialised");
    }
    if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse resp)) {
      chain.doFilter(request, response);
      return;
    }
    Set<String> fieldsRead = engine.fieldsRead();
    RequestFacts facts = RequestMapping.facts(req, null, fieldsRead);
    // The admin and challenge paths are relative to the context path, as the application's own are.
    String local = CanonicalPath.inApplication(facts);
    if (local.equals(engine.challengePath()) && "POST".equalsIgnoreCase(facts.method())) {
      verifyChallenge(engine, facts, req, resp);
      return;
    }
    int inspect = engine.bodyInspectBytes();
    if (inspect > 0) {
      // The rules read the body's start; the application gets a request that gives those bytes again.
      BodyPrefix body = BodyPrefix.read(req, inspect);
      facts = RequestMapping.facts(req, body, fieldsRead);
      req = (HttpServletRequest) body.replaying(req);
      request = req;
    }
    DecisionMeter m = meter;
    long started = m == DecisionMeter.NONE ? 0 : System.nanoTime();
    Decision decision = engine.decide(facts);
    if (m != DecisionMeter.NONE) {
      m.record(decision, System.nanoTime() - started);
    }
    if (!decision.refuses()) {
      if (AdminEndpoints.handles(engine.admin(), local)) {
        admin.handle(engine, facts, decision, local, req, resp);
        return;
      }
      chain.doFilter(forApplication(engine, facts, decision, req), response);
      if (!req.isAsyncStarted()) {
        // The application's answer feeds the behaviour score (many 404s on distinct paths is probing).
        engine.observeResponse(decision, facts, resp.getStatus(), resp::getHeader);
      }
      return;
    }
    if (decision.action() == Action.CHALLENGE && isBrowserNavigation(facts)) {
      challengePage.render(facts, resp, decision, engine.issueChallenge(decision, facts),
          engine.pages());
      return;
    }
    responses.render(facts, resp, decision, engine.pages());
  }

  /**
   * The request the application gets: with what Gatehouse decided as attributes, and with
   * {@code gatehouse.client-ip.expose=on} wrapped to show the resolved client.
   */
  private static HttpServletRequest forApplication(Gatehouse engine, RequestFacts facts, Decision decision,
      HttpServletRequest req) {
    String client = decision.client().address() == null ? null : decision.client().addressText();
    if (client != null) {
      req.setAttribute(CLIENT_IP_ATTRIBUTE, client);
    }
    if (decision.rayId() != null) {
      req.setAttribute(RAY_ID_ATTRIBUTE, decision.rayId());
    }
    req.setAttribute(THREAT_SCORE_ATTRIBUTE, decision.threatScore());
    req.setAttribute(VISITOR_ID_ATTRIBUTE, engine.visitorId(facts, decision));
    req.setAttribute(DECISION_ATTRIBUTE, decision);
    if (!engine.exposesClientIp()) {
      return req;
    }
    return new ClientRequest(req, client != null ? client : req.getRemoteAddr(), engine.visitorUsedHttps(facts));
  }

  /** A page load a browser makes: GET or HEAD, preferring HTML. Only those can run the challenge. */
  private static boolean isBrowserNavigation(RequestFacts facts) {
    String m = facts.method();
    return ("GET".equalsIgnoreCase(m) || "HEAD".equalsIgnoreCase(m))
        && ResponseFormat.negotiate(facts.header("Accept")) == ResponseFormat.HTML;
  }

  /** The challenge page's post: a clearance cookie and the way back, or back to be challenged again. */
  private static void verifyChallenge(Gatehouse engine, RequestFacts facts, HttpServletRequest req,
      HttpServletResponse resp) throws IOException {
    long ms;
    try {
      ms = Long.parseLong(req.getParameter("ms"));
    } catch (NumberFormatException | NullPointerException e) {
      ms = 0;
    }
    Challenge.Verdict v = engine.verifyChallenge(facts, req.getParameter("token"), req.getParameter("counter"), ms);
    SecurityHeaders.challengeRedirect(resp, v.rayId());
    if (v.solved()) {
      // Scoped to this application: another one on the same host has its own secret and its own cookie.
      String cookiePath = facts.contextPath().isEmpty() ? "/" : facts.contextPath();
      resp.addHeader("Set-Cookie", Challenge.CLEARANCE_COOKIE + "=" + v.clearance() + "; Path=" + cookiePath
          + "; Max-Age="
          + v.maxAge().toSeconds() + "; HttpOnly; SameSite=Lax"
          + (engine.visitorUsedHttps(facts) ? "; Secure" : ""));
    }
    // A relative Location keeps the visitor on this site whatever the path says.
    resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
    resp.setHeader("Location", v.redirect());
  }

  /**
   * Counts this filter's decisions and times them on {@code metrics}' meters (bind those to a registry
   * with {@link GatehouseMetrics#bindTo}). Needs Micrometer. Returns this filter.
   */
  public GatehouseFilter withMetrics(GatehouseMetrics metrics) {
    this.meter = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /** The engine this filter asks. */
  public Gatehouse gatehouse() {
    return gatehouse;
  }

  @Override
  public void destroy() {
    Gatehouse engine = gatehouse;
    if (ownsEngine && engine != null) {
      engine.close();
    }
  }
}
