package io.gatehouse.core.engine;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Explanation;
import io.gatehouse.core.Mode;
import io.gatehouse.core.Phase;
import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Explain: the request path run once more with a {@link Trace} listening, so that what the phases
 * report is exactly what decides requests, then everything the evaluation looked at, gathered for a
 * person. Records nothing and changes no state.
 */
final class Explainer {

  private Explainer() {}

  static Explanation explain(Pipeline pipeline, Evaluation ev, Policy policy) {
    Trace trace = ev.trace();
    List<Phase> configured = pipeline.phases();
    for (Phase phase : Phase.values()) {
      if (!configured.contains(phase)) {
        trace.outcome(phase, "not configured");
      }
    }
    int score;
    Decision d;
    try {
      Verdict v = pipeline.run(ev);
      score = ev.threatScore();
      d = v == null ? Decision.allow(ev.client, score) : v.decision(ev.mode() == Mode.ENFORCE, null, null, ev.client, score);
    } catch (StageFailure f) {
      trace.note(f.phase(), "internal error: " + f.getCause());
      trace.outcome(f.phase(), "internal error");
      score = 0;
      d = Decision.internalError(policy.failMode(), policy.mode(), "internal error in " + f.phase().id(), null, null,
          ev.client);
    }
    List<String> sources = new ArrayList<>();
    if (ev.feedHit() != null) {
      ev.feedHit().listings().forEach(l -> sources.add("feed " + l.feed() + ": " + l.score()));
    }
    if (ev.addressScore() > 0) {
      sources.add("address behaviour: " + ev.addressScore());
    }
    if (ev.visitorScore() > 0) {
      sources.add("visitor behaviour: " + ev.visitorScore());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("mode", ev.mode().name().toLowerCase(Locale.ROOT));
    settings.put("security_level", ev.securityLevel().id());
    settings.put("security_level_action", ev.securityLevelAction().id());
    settings.put("browser_integrity_check", ev.browserIntegrityCheck() ? "on" : "off");
    settings.put("clearance", ev.clearanceRevoked() ? "revoked"
        : ev.clearance().check().name().toLowerCase(Locale.ROOT));
    GeoLookup.Asn asn = ev.asnInfo();
    return new Explanation(d, ev.client.addressText(), ev.client.peerText(), ev.client.derivation().id(), asn.number(),
        asn.organization(), ev.country(), ev.continent(), score, List.copyOf(sources), ev.visitorScore(),
        ev.addressScore(), ev.shared(), ev.sharedHow(), settings, trace.phases());
  }
}
