package io.gatehouse.core;

import java.util.List;
import java.util.Map;

/**
 * Why a request would be decided as it is: everything the engine looked at, phase by phase. Made by
 * {@link Gatehouse#explain(RequestFacts)}, which records no event and changes no state.
 *
 * @param decision the decision (without a Ray ID)
 * @param clientIp the client address, or {@code unknown}
 * @param peerIp the connection's peer
 * @param clientIpDerivation how the client address was found
 * @param asn the client's AS number, 0 when unknown
 * @param asOrganization its holder
 * @param country the client's country, {@code XX} when unknown
 * @param continent its continent
 * @param threatScore the threat score, 0..100
 * @param threatSources what makes up the score: each listing feed with its score, the address's behaviour
 *     and the visitor's own
 * @param visitorScore the visitor's own behaviour score
 * @param addressScore the address's behaviour score: evidence spread over several visitors
 * @param sharedIp whether the client address is shared
 * @param sharedHow {@code configured}, {@code detected}, or the empty string when not shared
 * @param settings the settings in force for this request, after configuration rules
 * @param phases each phase in order, with what happened in it
 */
public record Explanation(Decision decision, String clientIp, String peerIp, String clientIpDerivation, long asn,
    String asOrganization, String country, String continent, int threatScore, List<String> threatSources,
    int visitorScore, int addressScore, boolean sharedIp, String sharedHow, Map<String, String> settings,
    List<PhaseTrace> phases) {

  /**
   * One phase's part.
   *
   * @param phase the phase's id
   * @param outcome {@code skipped}, {@code no match}, {@code log}, {@code allow}, {@code block},
   *     {@code challenge}, {@code challenge (cleared)} or {@code not reached}
   * @param details what the phase found, in words: rules matched, heuristics fired, scores compared
   */
  public record PhaseTrace(String phase, String outcome, List<String> details) {}
}
