package io.gatehouse.servlet;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The headers on the answers Gatehouse writes itself, one method per kind of answer, so that each kind
 * always carries the same set. None may be cached: they carry a Ray ID, a challenge, a clearance or admin
 * data. Pages and JSON also may not be sniffed into another type or leak their URL through
 * {@code Referer}, and each body's {@code Content-Security-Policy} allows just what that body does and
 * never a frame.
 *
 * <p>Thread-safe.
 */
final class SecurityHeaders {

  private static final String RAY = "Gatehouse-Ray";
  private static final String ERROR = "Gatehouse-Error";
  private static final String MITIGATED = "Gatehouse-Mitigated";
  private static final String CSP = "Content-Security-Policy";
  // Refusal pages carry no script and load nothing: a reflected value that slipped past escaping still
  // could not run or phone home.
  private static final String ERROR_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
      + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final String ADMIN_JSON_CSP = "default-src 'none'; frame-ancestors 'none'";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecurityHeaders() {}

  /** A fresh value for a page's {@code script-src 'nonce-…'}, so that only the script Gatehouse wrote runs. */
  static String nonce() {
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    return Base64.getEncoder().encodeToString(n);
  }

  /** A refusal in any format. */
  static void errorPage(HttpServletResponse r, Decision d) {
    refusal(r, d);
    noStoreNoSniff(r, "no-referrer");
    r.setHeader(CSP, ERROR_PAGE_CSP);
  }

  /**
   * The challenge page: its one script under {@code nonce}, and its form may post only back to this site.
   * {@code same-origin} rather than {@code no-referrer}: that post keeps its {@code Referer}, and still
   * nothing is sent to any other site.
   */
  static void challengePage(HttpServletResponse r, Decision d, String nonce) {
    refusal(r, d);
    noStoreNoSniff(r, "same-origin");
    r.setHeader(CSP, "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'unsafe-inline';"
        + " img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  }

  /** The answer to the challenge page's post: the way back must not be cached with its cookie. */
  static void challengeRedirect(HttpServletResponse r, String rayId) {
    r.setHeader(RAY, rayId);
    r.setHeader("Cache-Control", "no-store");
  }

  /**
   * Any answer under the admin path, set before it is known which one it will be (404, 401, redirect,
   * the dashboard or JSON); the two bodies add their own policy.
   */
  static void admin(HttpServletResponse r, String rayId) {
    r.setHeader(RAY, rayId);
    noStoreNoSniff(r, "no-referrer");
  }

  /** An admin JSON body: nothing in it is ever to be run or loaded. */
  static void adminJson(HttpServletResponse r) {
    r.setHeader(CSP, ADMIN_JSON_CSP);
  }

  /** The dashboard page: its one script under {@code nonce}, reading the admin API of this site only. */
  static void dashboardPage(HttpServletResponse r, String nonce) {
    r.setHeader(CSP, "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'unsafe-inline';"
        + " connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  }

  /** {@code Gatehouse-Mitigated} tells a client that cannot run the challenge why it was refused. */
  private static void refusal(HttpServletResponse r, Decision d) {
    r.setHeader(RAY, d.rayId());
    r.setHeader(ERROR, Integer.toString(d.errorCode()));
    if (d.action() == Action.CHALLENGE) {
      r.setHeader(MITIGATED, "challenge");
    }
  }

  private static void noStoreNoSniff(HttpServletResponse r, String referrerPolicy) {
    r.setHeader("Cache-Control", "no-store");
    r.setHeader("X-Content-Type-Options", "nosniff");
    r.setHeader("Referrer-Policy", referrerPolicy);
  }
}
