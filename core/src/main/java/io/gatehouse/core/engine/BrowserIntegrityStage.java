package io.gatehouse.core.engine;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Phase;
import io.gatehouse.core.Source;
import io.gatehouse.core.bot.BrowserIntegrityCheck.Result.Finding;
import io.gatehouse.core.bot.BrowserIntegrityCheck;
import io.gatehouse.core.bot.CrawlerVerifier;

/**
 * The Browser Integrity Check phase: named heuristics over the User-Agent and headers; a failing one
 * refuses the request with 1012. A verified crawler skips it (and the Security Level). A configuration
 * rule can turn it off for some requests.
 */
final class BrowserIntegrityStage extends Stage {

  private final BrowserIntegrityCheck check;

  BrowserIntegrityStage(BrowserIntegrityCheck check) {
    super(Phase.BROWSER_INTEGRITY_CHECK);
    this.check = check;
  }

  @Override
  Verdict evaluate(Evaluation ev) {
    if (!ev.browserIntegrityCheck()) {
      ev.note(phase(), "off for this request");
      ev.outcome(phase(), "off");
      return null;
    }
    CrawlerVerifier.Status crawler = ev.crawler();
    if (crawler.isVerified()) {
      ev.skip(Phase.SECURITY_LEVEL);
      ev.note(phase(), "verified crawler " + crawler.crawler() + ": skips this check and the Security Level");
      return null;
    }
    BrowserIntegrityCheck.Result result = check.check(ev.facts, crawler);
    if (ev.tracing()) {
      // Every heuristic, in the order they run, so a pass shows what was checked as well as a failure.
      for (String heuristic : BrowserIntegrityCheck.heuristics()) {
        boolean found = false;
        for (Finding f : result.findings()) {
          if (f.heuristic().equals(heuristic)) {
            ev.note(phase(), heuristic + (f.failing() ? ": fails: " : ": signal: ") + f.detail());
            found = true;
          }
        }
        if (!found) {
          ev.note(phase(), heuristic + ": passes");
        }
      }
    }
    if (!result.failed()) {
      return null;
    }
    Finding first = result.firstFailure();
    StringBuilder why = new StringBuilder("browser integrity check failed: ");
    boolean more = false;
    for (Finding f : result.findings()) {
      if (f.failing()) {
        why.append(more ? "; " : "").append(f.heuristic()).append(" (").append(f.detail()).append(')');
        more = true;
      }
    }
    return Verdict.block(Source.BROWSER_INTEGRITY_CHECK, first.heuristic(), why.toString(), Decision.ACCESS_DENIED);
  }
}
