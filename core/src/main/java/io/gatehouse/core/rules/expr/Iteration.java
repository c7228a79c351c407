package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IpAddress;
import java.util.List;

/**
 * The request as the condition inside {@code any()} or {@code all()} sees it: the request itself, and the
 * element each enclosing quantifier is currently looking at (one slot per quantifier, numbered at compile
 * time): a String, or an Array of them for an Array of Arrays). Made only when a quantifier has a present header to iterate, so an evaluation that meets no such
 * header allocates nothing.
 *
 * <p>Not thread-safe; confined to one evaluation.
 */
final class Iteration implements Expression.Context {

  final Expression.Context request;
  final Object[] slots;

  Iteration(Expression.Context request, int slotCount) {
    this.request = request;
    this.slots = new Object[slotCount];
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

  @Override
  public long responseCode() {
    return request.responseCode();
  }

  @Override
  public Object[] memo() {
    return request.memo();
  }

  @Override
  public String rawPath() {
    return request.rawPath();
  }

  @Override
  public boolean ssl() {
    return request.ssl();
  }

  @Override
  public String httpVersion() {
    return request.httpVersion();
  }

  @Override
  public int headerCount() {
    return request.headerCount();
  }

  @Override
  public String headerName(int i) {
    return request.headerName(i);
  }

  @Override
  public String headerValue(int i) {
    return request.headerValue(i);
  }

  @Override
  public boolean headersTruncated() {
    return request.headersTruncated();
  }

  @Override
  public long serverPort() {
    return request.serverPort();
  }

  @Override
  public IpAddress serverIp() {
    return request.serverIp();
  }

  @Override
  public boolean clientCertPresented() {
    return request.clientCertPresented();
  }

  @Override
  public boolean clientCertVerified() {
    return request.clientCertVerified();
  }

  @Override
  public long timestampMillis() {
    return request.timestampMillis();
  }

  @Override
  public String rayId() {
    return request.rayId();
  }

  @Override
  public String place(Place detail) {
    return request.place(detail);
  }

  @Override
  public String verifiedBotCategory() {
    return request.verifiedBotCategory();
  }

  @Override
  public int botScore() {
    return request.botScore();
  }

  @Override
  public byte[] body() {
    return request.body();
  }

  @Override
  public long bodySize() {
    return request.bodySize();
  }

  @Override
  public boolean bodyTruncated() {
    return request.bodyTruncated();
  }
}
