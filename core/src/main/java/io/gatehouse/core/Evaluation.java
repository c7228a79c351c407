package io.gatehouse.core;

import io.gatehouse.core.geo.AsnInfo;
import io.gatehouse.core.geo.GeoLookup;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one request's way through the pipeline: its facts, its client address, the settings in
 * force for it, the phases it skips and the {@code log} matches it collected. Lookups that cost
 * something are made here lazily, at most once, and only when a phase asks.
 *
 * <p>Confined to the request's thread.
 */
final class Evaluation {

  final RequestFacts facts;
  final Policy policy;
  final ClientIp client;
  Mode mode;
  private int skipped;
  private List<Verdict> logs;
  private AsnInfo asn;
  private String country;
  /** An allow that did not end evaluation (a country or continent allow), for the decision's record. */
  Verdict allowedBy;

  Evaluation(RequestFacts facts, Policy policy, ClientIp client) {
    this.facts = facts;
    this.policy = policy;
    this.client = client;
    this.mode = policy.mode();
  }

  void skip(Phase phase) {
    skipped |= 1 << phase.ordinal();
  }

  boolean skips(Phase phase) {
    return (skipped & (1 << phase.ordinal())) != 0;
  }

  /** Records a {@code log} match; evaluation goes on. */
  void log(Verdict match) {
    if (logs == null) {
      logs = new ArrayList<>(2);
    }
    logs.add(match);
  }

  List<Verdict> logs() {
    return logs == null ? List.of() : logs;
  }

  /** The client's AS, looked up once and only if asked. */
  AsnInfo asn() {
    if (asn == null) {
      asn = policy.geo().asn(client.address());
    }
    return asn;
  }

  /** The client's country ({@code XX} unknown), looked up once and only if asked. */
  String country() {
    if (country == null) {
      country = policy.geo().country(client.address());
    }
    return country;
  }

  /** The client's continent ({@code XX} unknown). */
  String continent() {
    return io.gatehouse.core.geo.Continents.of(country());
  }

  /** Whether geo data exists for events: then they carry AS and country even if no rule asked. */
  boolean hasGeo() {
    GeoLookup g = policy.geo();
    return g.hasAsn() || g.hasCountry();
  }
}
