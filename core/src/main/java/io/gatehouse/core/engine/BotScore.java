package io.gatehouse.core.engine;

import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.BrowserIntegrityCheck;
import io.gatehouse.core.bot.CrawlerVerifier;

/**
 * Gatehouse's bot score ({@code cf.bot_management.score}): 1 (certainly automated) to 99 (certainly
 * human), from what Gatehouse knows of the request, term by term so that a user can predict it:
 *
 * <ol>
 *   <li>A verified crawler scores 1: it is automated, and welcome; rules tell it apart with
 *       {@code cf.bot_management.verified_bot}, as on Cloudflare.
 *   <li>A request that fails a Browser Integrity Check heuristic (no User-Agent, a scanner's signature,
 *       a malformed User-Agent, a false crawler claim, a browser without the headers it always sends)
 *       scores 1.
 *   <li>A claimed crawler not yet verified scores 2; a scripting client (curl, python-requests, ...)
 *       scores 2; a headless browser 5.
 *   <li>Any other request starts at 40, and gains 20 for an {@code Accept-Language} header, 15 for
 *       {@code Sec-Fetch-Mode} and 10 for {@code Accept-Encoding}, which browsers send and scripts
 *       rarely do (at most 85).
 *   <li>A visitor holding a valid clearance (it solved a challenge) scores 99.
 *   <li>The visitor's own threat score (its behaviour: rule matches, probing, failed challenges) is then
 *       taken off, and the result kept between 1 and 99.
 * </ol>
 *
 * <p>Stateless.
 */
final class BotScore {

  private BotScore() {}

  static int of(Evaluation ev, BrowserIntegrityCheck check) {
    CrawlerVerifier.Status crawler = ev.crawler();
    if (crawler.isVerified()) {
      return 1;
    }
    BrowserIntegrityCheck.Result result = check.check(ev.facts, crawler);
    int score;
    if (result.failed()) {
      score = 1;
    } else if (crawler.kind() == CrawlerVerifier.Status.Kind.PENDING || has(result,
        BrowserIntegrityCheck.SCRIPTING_CLIENT)) {
      score = 2;
    } else if (has(result, BrowserIntegrityCheck.HEADLESS_BROWSER)) {
      score = 5;
    } else if (ev.cleared()) {
      score = 99;
    } else {
      RequestFacts f = ev.facts;
      score = 40 + (f.hasHeader("accept-language") ? 20 : 0) + (f.hasHeader("sec-fetch-mode") ? 15 : 0)
          + (f.hasHeader("accept-encoding") ? 10 : 0);
    }
    return Math.max(1, Math.min(99, score - ev.visitorThreat()));
  }

  private static boolean has(BrowserIntegrityCheck.Result result, String heuristic) {
    for (BrowserIntegrityCheck.Result.Finding finding : result.findings()) {
      if (finding.heuristic().equals(heuristic)) {
        return true;
      }
    }
    return false;
  }
}
