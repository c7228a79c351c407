package io.gatehouse.servlet;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Source;
import io.gatehouse.core.engine.Engine;
import io.gatehouse.core.policy.Policy.PageSettings;

/**
 * The words on a refusal: title, "What happened?" and "What can I do?", chosen by error code and, for
 * 1012, by what caused it, so a visitor caught by the integrity check is told something different from
 * one whose network has a bad reputation. Plain text; whoever puts it in HTML escapes it.
 *
 * @param title the page's heading
 * @param whatHappened the explanation
 * @param whatCanIDo the advice
 */
record PageText(String title, String whatHappened, String whatCanIDo) {

  static PageText of(Decision d, String host, PageSettings settings) {
    String site = settings.siteName().isEmpty() ? (host.isEmpty() ? "this website" : host) : settings.siteName();
    String ip = d.client().addressText();
    String contact = settings.contact().isEmpty() ? "the owner of this website" : "the owner of this website ("
        + settings.contact() + ")";
    String quoteRay = "If you believe this is a mistake, contact " + contact
        + " and quote the Ray ID shown at the bottom of this page.";
    if (d.action() == Action.CHALLENGE) {
      return new PageText("Verification required",
          "This website (" + site + ") checks some visitors before letting them in, and your request (from " + ip
              + ") needs a check that only a web browser can complete.",
          "Open the page in a web browser with JavaScript turned on; the check runs by itself. " + quoteRay);
    }
    return switch (d.errorCode()) {
      case Decision.RATE_LIMITED -> new PageText("You are being rate limited",
          "This website (" + site + ") allows only so many requests in a short time, and requests from your"
              + " browser or network (" + ip + ") went over, so they are refused for a while.",
          "Wait " + waitFor(d.retryAfterSeconds()) + " and try again. " + quoteRay);
      case Decision.COUNTRY_BANNED -> new PageText("Country or region banned",
          "The owner of this website (" + site + ") has banned the country or region your IP address (" + ip
              + ") is in from accessing this website.",
          quoteRay);
      case Decision.FIREWALL_RULE -> new PageText("Access denied",
          "This website is using a security service to protect itself from online attacks. The request you"
              + " just made (to " + site + ") matched one of the website's firewall rules.",
          "Check the address you requested for anything unusual and try again. " + quoteRay);
      default -> accessDenied(d, site, ip, contact, quoteRay);
    };
  }

  private static String waitFor(long seconds) {
    if (seconds <= 1) {
      return "a second";
    } else if (seconds < 120) {
      return seconds + " seconds";
    }
    long minutes = (seconds + 59) / 60;
    return minutes < 120 ? minutes + " minutes" : (minutes + 59) / 60 + " hours";
  }

  private static PageText accessDenied(Decision d, String site, String ip, String contact, String quoteRay) {
    if (d.source() == Source.SECURITY_LEVEL && d.description() != null
        && d.description().contains(Engine.DECIDED_BY_VISITOR)) {
      // The visitor's own requests put it over: nothing on its network is to blame.
      return new PageText("Access denied",
          "Requests from your browser to this website (" + site + ") were refused several times for looking like"
              + " an attack, so the website refuses your requests for a while.",
          "Wait a while and try again with an ordinary, up-to-date web browser. " + quoteRay);
    }
    return switch (d.source()) {
      case ACCESS_RULES -> new PageText("Access denied",
          "The owner of this website (" + site + ") has blocked access from your IP address or network (" + ip
              + ").",
          quoteRay);
      case BROWSER_INTEGRITY_CHECK -> new PageText("Access denied",
          "The owner of this website (" + site + ") checks that visitors use a real web browser. Your request"
              + " (from " + ip + ") looked automated, so it was refused.",
          "Use an up-to-date web browser and turn off extensions or tools that change how it identifies"
              + " itself, then try again. " + quoteRay);
      case INTERNAL_ERROR -> new PageText("Access denied",
          "The security service protecting this website (" + site + ") could not check your request, and the"
              + " website is set to refuse requests it cannot check.",
          "Try again in a few minutes. If it keeps happening, contact " + contact
              + " and quote the Ray ID shown at the bottom of this page.");
      default -> new PageText("Access denied",
          "The owner of this website (" + site + ") has blocked access from your network (" + ip + ") because"
              + " malicious activity was detected from your computer or network. On a shared connection, such"
              + " as an office, a campus or a mobile carrier, another device may have caused it.",
          "Scan your computer and the other devices on your network for malware, or try again from a"
              + " different network, such as your phone's mobile data. " + quoteRay);
    };
  }
}
