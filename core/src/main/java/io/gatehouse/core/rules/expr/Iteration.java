package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IpAddress;
import java.util.List;

/**
 * The request as the condition inside {@code any()} or {@code all()} sees it: the request itself, and the
 * element each enclosing quantifier is currently looking at (one slot per quantifier, numbered at compile
 * time). Made only when a quantifier has a present header to iterate, so an evaluation that meets no such
 * header allocates nothing.
 *
 * <p>Not thread-safe; confined to one evaluation.
 */
final class Iteration implements Expression.Context {

  final Expression.Context request;
  final String[] slots;

  Iteration(Expression.Context request, int slotCount) {
    this.request = request;
    this.slots = new String[slotCount];
  }

  @Override
  public IpAddress clientIp() {
    return request.clientIp();
  }

  @Override
  public long asn() {
    return request.asn();
  }

  @Override
  public String country() {
    return request.country();
  }

  @Override
  public String continent() {
    return request.continent();
  }

  @Override
  public String host() {
    return request.host();
  }

  @Override
  public String method() {
    return request.method();
  }

  @Override
  public String uri() {
    return request.uri();
  }

  @Override
  public String path() {
    return request.path();
  }

  @Override
  public String query() {
    return request.query();
  }

  @Override
  public String userAgent() {
    return request.userAgent();
  }

  @Override
  public String referer() {
    return request.referer();
  }

  @Override
  public String cookie() {
    return request.cookie();
  }

  @Override
  public List<String> header(String lowerCaseName) {
    return request.header(lowerCaseName);
  }

  @Override
  public int threatScore() {
    return request.threatScore();
  }

  @Override
  public boolean verifiedBot() {
    return request.verifiedBot();
  }
}
