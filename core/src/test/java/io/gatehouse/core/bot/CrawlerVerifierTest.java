package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.CommunicationException;
import javax.naming.ServiceUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CrawlerVerifierTest {

  private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
  private static final String BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
  private static final String DUCKDUCKBOT = "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)";
  private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<CrawlerVerifier> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(CrawlerVerifier::close);
  }

  private CrawlerVerifier.Builder builder(FakeDns dns) {
    return CrawlerVerifier.builder().resolver(dns).ticker(nanos::get);
  }

  private CrawlerVerifier open(CrawlerVerifier.Builder b) {
    CrawlerVerifier v = b.build();
    opened.add(v);
    return v;
  }

  private static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  private static CrawlerVerifier.Status settled(CrawlerVerifier v, String ua, String address) throws Exception {
    return v.verify(ua, ip(address)).get(10, TimeUnit.SECONDS);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void forwardConfirmedReverseDnsVerifies() throws Exception {
    FakeDns dns = new FakeDns().ptr("66.249.66.1", "crawl-66-249-66-1.googlebot.com.")
        .a("crawl-66-249-66-1.googlebot.com", "66.249.66.1");
    CrawlerVerifier v = open(builder(dns));

    CrawlerVerifier.Status first = v.status(GOOGLEBOT, ip("66.249.66.1"));
    assertThat(first.kind()).isIn(CrawlerVerifier.Status.Kind.PENDING, CrawlerVerifier.Status.Kind.VERIFIED);
    assertThat(settled(v, GOOGLEBOT, "66.249.66.1"))
        .isEqualTo(CrawlerVerifier.Status.verified("Googlebot", "crawl-66-249-66-1.googlebot.com"));
    assertThat(v.status(GOOGLEBOT, ip("66.249.66.1")).isVerified()).isTrue();
    assertThat(dns.reverseCalls).hasValue(1);
    assertThat(dns.forwardCalls).hasValue(1);
  }

  @Test
  void statusNeverWaitsForDns() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeDns dns = new FakeDns().gate(gate).ptr("66.249.66.1", "crawl-66-249-66-1.googlebot.com")
        .a("crawl-66-249-66-1.googlebot.com", "66.249.66.1");
    CrawlerVerifier v = open(builder(dns));
    // The lookup is held at the gate: a status that waited for it would come back only at the deadline,
    // with the timeout as its detail.
    CrawlerVerifier.Status status = v.status(GOOGLEBOT, ip("66.249.66.1"));
    assertThat(status).isEqualTo(CrawlerVerifier.Status.pending("Googlebot", "verifying 66.249.66.1"));
    gate.countDown();
    assertThat(settled(v, GOOGLEBOT, "66.249.66.1").isVerified()).isTrue();
  }

  @Test
  void nameOutsideTheOperatorsDomainsIsAnImpostor() throws Exception {
    FakeDns dns = new FakeDns().ptr("203.0.113.9", "host-9.hosting.example").a("host-9.hosting.example", "203.0.113.9");
    CrawlerVerifier v = open(builder(dns));
    assertThat(settled(v, GOOGLEBOT, "203.0.113.9")).isEqualTo(CrawlerVerifier.Status.impostor("Googlebot",
        "203.0.113.9 resolves to host-9.hosting.example, not under googlebot.com, google.com"));
    assertThat(dns.forwardCalls).as("no forward lookup for a foreign name").hasValue(0);
    assertThat(v.status(GOOGLEBOT, ip("203.0.113.9")).kind()).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
  }

  @Test
  void suffixTricksAreImpostors() throws Exception {
    // The attacker controls the PTR of their own address and the zones they own: all resolve back.
    FakeDns dns = new FakeDns()
        .ptr("203.0.113.10", "crawl-66-249-66-1.googlebot.com.evil.example")
        .a("crawl-66-249-66-1.googlebot.com.evil.example", "203.0.113.10")
        .ptr("203.0.113.11", "crawl.evilgooglebot.com")
        .a("crawl.evilgooglebot.com", "203.0.113.11")
        .ptr("203.0.113.12", "googlebot.com-crawl.example")
        .a("googlebot.com-crawl.example", "203.0.113.12")
        .ptr("203.0.113.13", "crawl.googlebot.com\u0000.evil.example");
    CrawlerVerifier v = open(builder(dns));
    for (String address : List.of("203.0.113.10", "203.0.113.11", "203.0.113.12", "203.0.113.13")) {
      CrawlerVerifier.Status s = settled(v, GOOGLEBOT, address);
      assertThat(s.kind()).as(address).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
      assertThat(s.detail()).doesNotContain("\u0000");
    }
    assertThat(dns.forwardCalls).hasValue(0);
  }

  @Test
  void aNameThatDoesNotResolveBackIsAnImpostor() throws Exception {
    // Anyone can point their own PTR at a Google name; Google's name does not point back at them.
    FakeDns dns = new FakeDns().ptr("203.0.113.20", "crawl-66-249-66-1.googlebot.com")
        .a("crawl-66-249-66-1.googlebot.com", "66.249.66.1");
    CrawlerVerifier v = open(builder(dns));
    assertThat(settled(v, GOOGLEBOT, "203.0.113.20")).isEqualTo(CrawlerVerifier.Status.impostor("Googlebot",
        "crawl-66-249-66-1.googlebot.com does not resolve back to 203.0.113.20"));
  }

  @Test
  void anAddressWithoutReverseNameIsAnImpostor() throws Exception {
    CrawlerVerifier v = open(builder(new FakeDns()));
    assertThat(settled(v, BINGBOT, "198.51.100.3"))
        .isEqualTo(CrawlerVerifier.Status.impostor("Bingbot", "198.51.100.3 has no reverse DNS name"));
  }

  @Test
  void oneConfirmingNameAmongSeveralIsEnough() throws Exception {
    FakeDns dns = new FakeDns().ptr("157.55.39.1", "other.example.net", "MSNBOT-157-55-39-1.SEARCH.MSN.COM.")
        .a("msnbot-157-55-39-1.search.msn.com", "157.55.39.1");
    CrawlerVerifier v = open(builder(dns));
    assertThat(settled(v, BINGBOT, "157.55.39.1"))
        .isEqualTo(CrawlerVerifier.Status.verified("Bingbot", "msnbot-157-55-39-1.search.msn.com"));
  }

  @Test
  void ipv6IsVerifiedTheSameWay() throws Exception {
    FakeDns dns = new FakeDns().ptr("2001:4860:4801:10::1", "crawl-2001-4860-4801-10--1.googlebot.com")
        .a("crawl-2001-4860-4801-10--1.googlebot.com", "2001:4860:4801:10:0:0:0:1");
    CrawlerVerifier v = open(builder(dns));
    assertThat(settled(v, GOOGLEBOT, "2001:4860:4801:10::1").isVerified()).isTrue();
    // The IPv4-mapped form is the same client.
    FakeDns dns4 = new FakeDns().ptr("66.249.66.1", "crawl-66-249-66-1.googlebot.com")
        .a("crawl-66-249-66-1.googlebot.com", "66.249.66.1");
    assertThat(settled(open(builder(dns4)), GOOGLEBOT, "::ffff:66.249.66.1").isVerified()).isTrue();
  }

  @Test
  void dnsTimeoutStaysUnverifiedAndIsRetriedLater() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    FakeDns dns = new FakeDns().gate(never);
    CrawlerVerifier v = open(builder(dns).timeout(Duration.ofMillis(150)).failureRetryAfter(Duration.ofMinutes(5)));

    CrawlerVerifier.Status s = settled(v, GOOGLEBOT, "66.249.66.1");
    assertThat(s.kind()).isEqualTo(CrawlerVerifier.Status.Kind.PENDING);
    assertThat(s.detail()).isEqualTo("no answer within 150 ms; will retry");
    // Remembered as a failure, not as an impostor, and not asked again right away.
    assertThat(v.status(GOOGLEBOT, ip("66.249.66.1")).kind()).isEqualTo(CrawlerVerifier.Status.Kind.PENDING);
    assertThat(dns.reverseCalls).hasValue(1);

    advance(Duration.ofMinutes(5));
    never.countDown();
    dns.ptr("66.249.66.1", "crawl-66-249-66-1.googlebot.com").a("crawl-66-249-66-1.googlebot.com", "66.249.66.1");
    assertThat(settled(v, GOOGLEBOT, "66.249.66.1").isVerified()).isTrue();
    assertThat(dns.reverseCalls).hasValue(2);
  }

  @Test
  void dnsErrorsAreNotProofOfImposture() throws Exception {
    FakeDns dns = new FakeDns()
        .fail("66.249.66.1", new ServiceUnavailableException("SERVFAIL"))
        .ptr("66.249.66.2", "crawl-66-249-66-2.googlebot.com")
        .fail("crawl-66-249-66-2.googlebot.com", new CommunicationException("DNS error: timed out"));
    CrawlerVerifier v = open(builder(dns));
    CrawlerVerifier.Status reverse = settled(v, GOOGLEBOT, "66.249.66.1");
    assertThat(reverse).isEqualTo(CrawlerVerifier.Status.pending("Googlebot",
        "reverse lookup of 66.249.66.1 failed: SERVFAIL; will retry"));
    CrawlerVerifier.Status forward = settled(v, GOOGLEBOT, "66.249.66.2");
    assertThat(forward.kind()).isEqualTo(CrawlerVerifier.Status.Kind.PENDING);
    assertThat(forward.detail()).contains("forward lookup of crawl-66-249-66-2.googlebot.com failed");
  }

  @Test
  void concurrentClaimsShareOneVerification() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeDns dns = new FakeDns().gate(gate).ptr("66.249.66.1", "crawl-66-249-66-1.googlebot.com")
        .a("crawl-66-249-66-1.googlebot.com", "66.249.66.1");
    CrawlerVerifier v = open(builder(dns));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<CrawlerVerifier.Status>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        answers.add(pool.submit(() -> v.status(GOOGLEBOT, ip("66.249.66.1"))));
      }
      for (Future<CrawlerVerifier.Status> f : answers) {
        assertThat(f.get(10, TimeUnit.SECONDS).kind()).isEqualTo(CrawlerVerifier.Status.Kind.PENDING);
      }
      assertThat(v.inFlight()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    gate.countDown();
    assertThat(settled(v, GOOGLEBOT, "66.249.66.1").isVerified()).isTrue();
    assertThat(dns.reverseCalls).hasValue(1);
    assertThat(v.inFlight()).isZero();
  }

  @Test
  void cachedResultsExpireByTheTicker() throws Exception {
    FakeDns dns = new FakeDns().ptr("66.249.66.1", "crawl-66-249-66-1.googlebot.com")
        .a("crawl-66-249-66-1.googlebot.com", "66.249.66.1")
        .ptr("203.0.113.9", "host.evil.example");
    CrawlerVerifier v = open(builder(dns));
    assertThat(settled(v, GOOGLEBOT, "66.249.66.1").isVerified()).isTrue();
    assertThat(settled(v, GOOGLEBOT, "203.0.113.9").kind()).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
    assertThat(dns.reverseCalls).hasValue(2);

    advance(Duration.ofHours(1).minusMillis(1));
    assertThat(v.status(GOOGLEBOT, ip("203.0.113.9")).kind()).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
    assertThat(dns.reverseCalls).hasValue(2);
    advance(Duration.ofMillis(2));
    assertThat(settled(v, GOOGLEBOT, "203.0.113.9").kind()).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
    assertThat(dns.reverseCalls).as("impostor looked up again after an hour").hasValue(3);

    assertThat(v.status(GOOGLEBOT, ip("66.249.66.1")).isVerified()).isTrue();
    advance(Duration.ofHours(5).minusMillis(2));
    assertThat(v.status(GOOGLEBOT, ip("66.249.66.1")).isVerified()).isTrue();
    assertThat(dns.reverseCalls).hasValue(3);
    advance(Duration.ofMillis(2));
    assertThat(settled(v, GOOGLEBOT, "66.249.66.1").isVerified()).isTrue();
    assertThat(dns.reverseCalls).as("verified looked up again after six hours").hasValue(4);
  }

  @Test
  void resultsAreKeptPerCrawler() throws Exception {
    // A Google address verified as Googlebot says nothing about a Bingbot claim from it.
    FakeDns dns = new FakeDns().ptr("66.249.66.1", "crawl-66-249-66-1.googlebot.com")
        .a("crawl-66-249-66-1.googlebot.com", "66.249.66.1");
    CrawlerVerifier v = open(builder(dns));
    assertThat(settled(v, GOOGLEBOT, "66.249.66.1").isVerified()).isTrue();
    assertThat(settled(v, BINGBOT, "66.249.66.1").kind()).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
  }

  @Test
  void theCacheIsBounded() throws Exception {
    CrawlerVerifier v = open(builder(new FakeDns()).maximumSize(10));
    for (int i = 1; i <= 50; i++) {
      settled(v, GOOGLEBOT, "203.0.113." + i);
    }
    assertThat(v.cachedCount()).isLessThanOrEqualTo(10);
  }

  @Test
  void publishedRangesVerifyWithoutDns() throws Exception {
    FakeDns dns = new FakeDns();
    IntervalIndex<Cidr> google = IntervalIndex.<Cidr>builder()
        .add(Cidr.parse("66.249.64.0/27"), Cidr.parse("66.249.64.0/27"))
        .add(Cidr.parse("2001:4860:4801:10::/64"), Cidr.parse("2001:4860:4801:10::/64"))
        .build();
    CrawlerVerifier v = open(builder(dns).publishedRanges("Googlebot", google));
    assertThat(v.status(GOOGLEBOT, ip("66.249.64.31")))
        .isEqualTo(CrawlerVerifier.Status.verified("Googlebot", "inside published range 66.249.64.0/27"));
    assertThat(v.status(GOOGLEBOT, ip("2001:4860:4801:10::abcd")).isVerified()).isTrue();
    assertThat(dns.reverseCalls).hasValue(0);
    // Outside the ranges, DNS still decides.
    assertThat(settled(v, GOOGLEBOT, "66.249.64.32").kind()).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
    assertThat(dns.reverseCalls).hasValue(1);
  }

  @Test
  void rangesOnlyCrawlersAreNeverImpostors() throws Exception {
    FakeDns dns = new FakeDns();
    CrawlerVerifier none = open(builder(dns));
    assertThat(none.status(DUCKDUCKBOT, ip("20.191.45.212"))).isEqualTo(
        CrawlerVerifier.Status.pending("DuckDuckBot", "verifiable only by published ranges, none configured"));
    IntervalIndex<Cidr> ddg = IntervalIndex.<Cidr>builder()
        .add(Cidr.parse("20.191.45.212/32"), Cidr.parse("20.191.45.212/32")).build();
    CrawlerVerifier some = open(builder(dns).publishedRanges("DuckDuckBot", ddg));
    assertThat(some.status(DUCKDUCKBOT, ip("20.191.45.212")).isVerified()).isTrue();
    assertThat(some.status(DUCKDUCKBOT, ip("203.0.113.1"))).isEqualTo(
        CrawlerVerifier.Status.pending("DuckDuckBot", "203.0.113.1 is outside the published ranges"));
    assertThat(dns.reverseCalls).hasValue(0);
  }

  @Test
  void notAClaimAndUnknownClient() {
    FakeDns dns = new FakeDns();
    CrawlerVerifier v = open(builder(dns));
    assertThat(v.status(CHROME, ip("66.249.66.1"))).isSameAs(CrawlerVerifier.Status.NOT_A_CRAWLER);
    assertThat(v.status(null, ip("66.249.66.1"))).isSameAs(CrawlerVerifier.Status.NOT_A_CRAWLER);
    assertThat(v.status(GOOGLEBOT, null)).isEqualTo(CrawlerVerifier.Status.pending("Googlebot", "client address unknown"));
    assertThat(dns.reverseCalls).hasValue(0);
  }

  @Test
  void aFullQueueProvesNothingAndIsRetried() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeDns dns = new FakeDns().gate(gate);
    CrawlerVerifier v = open(builder(dns).threads(1).queueCapacity(1).timeout(Duration.ofSeconds(30)));
    v.status(GOOGLEBOT, ip("203.0.113.1")); // running
    v.status(GOOGLEBOT, ip("203.0.113.2")); // queued
    CrawlerVerifier.Status third = settled(v, GOOGLEBOT, "203.0.113.3");
    assertThat(third).isEqualTo(CrawlerVerifier.Status.pending("Googlebot", "verification queue full; will retry"));
    gate.countDown();
    settled(v, GOOGLEBOT, "203.0.113.1");
    settled(v, GOOGLEBOT, "203.0.113.2");
    assertThat(settled(v, GOOGLEBOT, "203.0.113.3").kind()).as("not remembered").isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
  }

  @Test
  void closeStopsVerificationAndKeepsAnswering() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeDns dns = new FakeDns().ptr("66.249.66.1", "crawl-66-249-66-1.googlebot.com")
        .a("crawl-66-249-66-1.googlebot.com", "66.249.66.1");
    CrawlerVerifier v = builder(dns).build();
    assertThat(settled(v, GOOGLEBOT, "66.249.66.1").isVerified()).isTrue();
    dns.gate(gate);
    var running = v.verify(GOOGLEBOT, ip("66.249.66.2"));
    v.close();
    v.close(); // idempotent
    assertThat(running.get(5, TimeUnit.SECONDS))
        .isEqualTo(CrawlerVerifier.Status.pending("Googlebot", "verifier closed; will retry"));
    assertThat(v.status(GOOGLEBOT, ip("66.249.66.1")).isVerified()).as("cache still answers").isTrue();
    assertThat(v.status(GOOGLEBOT, ip("66.249.66.3"))).isEqualTo(CrawlerVerifier.Status.pending("Googlebot", "verifier closed"));
    gate.countDown();
  }

  @Test
  void builderRejectsNonsense() {
    IntervalIndex<Cidr> any = IntervalIndex.<Cidr>builder().add(Cidr.parse("192.0.2.0/24"), Cidr.parse("192.0.2.0/24"))
        .build();
    assertThatThrownBy(() -> CrawlerVerifier.builder().publishedRanges("Gooblebot", any).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown crawler 'Gooblebot'");
    Crawler c = KnownCrawlers.defaults().get(0);
    assertThatThrownBy(() -> CrawlerVerifier.builder().crawlers(List.of(c, c)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> CrawlerVerifier.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CrawlerVerifier.builder().threads(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Crawler("X", List.of("X"), List.of("not a domain")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CrawlerVerifier.builder().publishedRangesFile("Googlebot",
        Path.of("no/such/googlebot.json"))).isInstanceOf(IOException.class)
        .hasMessageContaining("no such file");
  }

  @Test
  void domainsMatchOnLabelBoundaries() {
    List<String> google = List.of("googlebot.com", "google.com");
    assertThat(CrawlerHostNames.underDomains("crawl-1.googlebot.com", google)).isTrue();
    assertThat(CrawlerHostNames.underDomains("googlebot.com", google)).isTrue();
    assertThat(CrawlerHostNames.underDomains("rate-limited-proxy-1.google.com", google)).isTrue();
    assertThat(CrawlerHostNames.underDomains("evilgooglebot.com", google)).isFalse();
    assertThat(CrawlerHostNames.underDomains("googlebot.com.evil.example", google)).isFalse();
    assertThat(CrawlerHostNames.underDomains(".googlebot.com", google)).isFalse();
    assertThat(CrawlerHostNames.normalize(".googlebot.com")).isNull();
    assertThat(CrawlerHostNames.normalize("CRAWL.GoogleBot.COM.")).isEqualTo("crawl.googlebot.com");
    assertThat(CrawlerHostNames.normalize("crawl..googlebot.com")).isNull();
    assertThat(CrawlerHostNames.normalize("crawl googlebot.com")).isNull();
    assertThat(CrawlerHostNames.normalize("crawl.googlebot.com/")).isNull();
  }

  @Test
  void theGoogleCloudDomainIsNotEnoughForGooglebot() throws Exception {
    // Any Google Cloud VM has a reverse name under googleusercontent.com that resolves back to it.
    FakeDns dns = new FakeDns().ptr("34.1.2.3", "3.2.1.34.bc.googleusercontent.com")
        .a("3.2.1.34.bc.googleusercontent.com", "34.1.2.3")
        .ptr("34.1.2.4", "4.2.1.34.gae.googleusercontent.com")
        .a("4.2.1.34.gae.googleusercontent.com", "34.1.2.4");
    CrawlerVerifier v = open(builder(dns));
    assertThat(settled(v, GOOGLEBOT, "34.1.2.3").kind()).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
    assertThat(settled(v, GOOGLEBOT, "34.1.2.4").kind()).isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
    assertThat(settled(v, "FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)", "34.1.2.3").kind())
        .isEqualTo(CrawlerVerifier.Status.Kind.IMPOSTOR);
    assertThat(settled(v, "FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)", "34.1.2.4").isVerified())
        .isTrue();
  }
}
