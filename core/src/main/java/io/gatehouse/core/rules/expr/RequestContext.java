package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IpAddress;
import java.util.List;

/**
 * What an {@link Expression} reads from a request. The engine implements it lazily, so a rule that
 * never mentions the country never pays for a geo lookup; {@link Expression#fields()} says in advance
 * which values a rule reads.
 *
 * <p>Every value is taken as the request sent it: nothing here is trusted, and the expression engine
 * copes with any content (control characters, invalid percent-encoding, values of any length). A method
 * that returns {@code null} where a value is expected is treated as a missing value, so every comparison
 * on it is false.
 *
 * <p>An implementation serves one request and one thread at a time; it need not be thread-safe.
 */
public interface RequestContext {

  /** The client's address ({@code ip.src}), or {@code null} when it is unknown. */
  IpAddress clientIp();

  /** The client's autonomous system ({@code ip.src.asnum}), or 0 when unknown. */
  long asn();

  /** The client's ISO 3166-1 alpha-2 country ({@code ip.src.country}), or {@code XX} when unknown. */
  String country();

  /** The client's continent (AF AN AS EU NA OC SA, {@code ip.src.continent}), or {@code XX} when unknown. */
  String continent();

  /** The Host header without the port ({@code http.host}). */
  String host();

  /** The request method as sent ({@code http.request.method}). */
  String method();

  /** The path and, when there is one, {@code ?} and the query ({@code http.request.uri}). */
  String uri();

  /** The path ({@code http.request.uri.path}). */
  String path();

  /** The query without the {@code ?}, or {@code ""} when there is none ({@code http.request.uri.query}). */
  String query();

  /** The User-Agent header, or {@code ""} when absent ({@code http.user_agent}). */
  String userAgent();

  /** The Referer header, or {@code ""} when absent ({@code http.referer}). */
  String referer();

  /** The Cookie header(s) joined with {@code "; "}, or {@code ""} when absent ({@code http.cookie}). */
  String cookie();

  /**
   * Every value of one header, in arrival order, or an empty list when the request does not carry it
   * ({@code http.request.headers[...]}).
   *
   * @param lowerCaseName the header name in lower case
   */
  List<String> header(String lowerCaseName);

  /** The client's threat score, 0 (none) to 100 ({@code cf.threat_score}). */
  int threatScore();

  /** Whether the client is a verified good bot ({@code cf.client.bot}). */
  boolean verifiedBot();
}
