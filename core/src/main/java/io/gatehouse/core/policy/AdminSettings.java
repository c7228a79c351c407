package io.gatehouse.core.policy;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The admin endpoints' part of a policy ({@code gatehouse.admin.*}). The endpoints exist only when a
 * token is configured.
 *
 * @param path where the endpoints live
 * @param token the bearer token, or {@code null} when the endpoints are off
 * @param allowedIps client networks allowed to reach them; empty means any
 */
public record AdminSettings(String path, String token, List<Cidr> allowedIps) {

  public AdminSettings {
    allowedIps = List.copyOf(allowedIps);
  }

  public boolean enabled() {
    return token != null;
  }

  /** Whether {@code presented} is the token, compared in constant time. */
  public boolean tokenMatches(String presented) {
    if (token == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a client at {@code ip} may reach the endpoints. */
  public boolean allows(IpAddress ip) {
    if (allowedIps.isEmpty()) {
      return true;
    }
    return ip != null && allowedIps.stream().anyMatch(c -> c.contains(ip));
  }
}
