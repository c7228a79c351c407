package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.net.IpAddress;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK resolver against a small DNS server on the loopback interface. */
class JndiDnsResolverTest {

  private FakeDnsServer server;
  private JndiDnsResolver resolver;

  @BeforeEach
  void start() throws Exception {
    server = new FakeDnsServer();
    server.record("1.66.249.66.in-addr.arpa", 12, "crawl-66-249-66-1.googlebot.com");
    server.record("crawl-66-249-66-1.googlebot.com", 1, "66.249.66.1");
    server.record("dual.example", 1, "192.0.2.1");
    server.record("dual.example", 28, "2001:db8::1");
    server.record("v6only.example", 28, "2001:db8::2");
    server.record(JndiDnsResolver.reverseName(IpAddress.parse("2001:db8::2")), 12, "v6only.example");
    server.serverFailure("9.113.0.203.in-addr.arpa");
    server.serverFailure("broken.example");
    server.silent("slow.example");
    resolver = new JndiDnsResolver("dns://127.0.0.1:" + server.port(), Duration.ofMillis(300));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void reverseNames() {
    assertThat(JndiDnsResolver.reverseName(IpAddress.parse("66.249.66.1"))).isEqualTo("1.66.249.66.in-addr.arpa");
    assertThat(JndiDnsResolver.reverseName(IpAddress.parse("2001:db8::567:89ab"))).isEqualTo(
        "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  }

  @Test
  void answersAndEmptyAnswers() throws Exception {
    assertThat(resolver.reverse(IpAddress.parse("66.249.66.1")))
        .singleElement().satisfies(n -> assertThat(CrawlerHostNames.normalize(n)).isEqualTo("crawl-66-249-66-1.googlebot.com"));
    assertThat(resolver.reverse(IpAddress.parse("2001:db8::2"))).hasSize(1);
    assertThat(resolver.forward("crawl-66-249-66-1.googlebot.com")).containsExactly(IpAddress.parse("66.249.66.1"));
    assertThat(resolver.forward("dual.example"))
        .containsExactly(IpAddress.parse("192.0.2.1"), IpAddress.parse("2001:db8::1"));
    assertThat(resolver.forward("v6only.example")).containsExactly(IpAddress.parse("2001:db8::2"));
    // No such name, no such record: empty, not an error.
    assertThat(resolver.reverse(IpAddress.parse("198.51.100.1"))).isEmpty();
    assertThat(resolver.forward("nothing-here.example")).isEmpty();
  }

  @Test
  void failuresAreExceptions() throws Exception {
    assertThatThrownBy(() -> resolver.reverse(IpAddress.parse("203.0.113.9"))).isInstanceOf(NamingException.class);
    assertThatThrownBy(() -> resolver.forward("broken.example")).isInstanceOf(NamingException.class);
    assertThatThrownBy(() -> resolver.forward("slow.example")).isInstanceOf(NamingException.class);
    // One try with its own timeout, not the JDK's default of four with doubling timeouts. The server
    // answers in order, so once a later question is answered it has seen every earlier one.
    assertThat(resolver.forward("dual.example")).isNotEmpty();
    assertThat(server.questions("slow.example")).isEqualTo(1);
    assertThatThrownBy(() -> resolver.forward("not a/name")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noServerIsAFailureNotAnAnswer() throws Exception {
    int port;
    try (DatagramSocket unused = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = unused.getLocalPort();
    }
    JndiDnsResolver nowhere = new JndiDnsResolver("dns://127.0.0.1:" + port, Duration.ofMillis(200));
    assertThatThrownBy(() -> nowhere.reverse(IpAddress.parse("66.249.66.1"))).isInstanceOf(NamingException.class);
  }

  @Test
  void verifiesACrawlerEndToEnd() throws Exception {
    try (CrawlerVerifier v = CrawlerVerifier.builder().resolver(resolver).build()) {
      String googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
      assertThat(v.verify(googlebot, IpAddress.parse("66.249.66.1")).get(10, TimeUnit.SECONDS))
          .isEqualTo(CrawlerVerifier.Status.verified("Googlebot", "crawl-66-249-66-1.googlebot.com"));
      assertThat(v.verify(googlebot, IpAddress.parse("203.0.113.9")).get(10, TimeUnit.SECONDS).kind())
          .isEqualTo(CrawlerVerifier.Status.Kind.PENDING);
      assertThat(v.verify(googlebot, IpAddress.parse("198.51.100.1")).get(10, TimeUnit.SECONDS))
          .isEqualTo(CrawlerVerifier.Status.impostor("Googlebot", "198.51.100.1 has no reverse DNS name"));
    }
  }

  @Test
  void theSystemResolverCanBeBuilt() {
    assertThat(CrawlerVerifier.DnsResolver.system(Duration.ofSeconds(1))).isInstanceOf(JndiDnsResolver.class);
  }

  /**
   * Answers A (1), PTR (12) and AAAA (28) questions from a table over UDP: NXDOMAIN for names it does not
   * know, an empty answer for known names without the type, SERVFAIL or silence where told.
   */
  static final class FakeDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, Map<Integer, List<String>>> records = new ConcurrentHashMap<>();
    private final Map<String, String> behaviour = new ConcurrentHashMap<>();
    private final Map<String, Integer> questions = new ConcurrentHashMap<>();
    private final Thread thread;

    FakeDnsServer() throws SocketException {
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      thread = new Thread(this::serve, "fake-dns");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    void record(String name, int type, String value) {
      records.computeIfAbsent(name, k -> new ConcurrentHashMap<>())
          .merge(type, List.of(value), (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
    }

    void serverFailure(String name) {
      behaviour.put(name, "servfail");
    }

    void silent(String name) {
      behaviour.put(name, "silent");
    }

    /** How many questions, of any type, the server has received about {@code name}. */
    int questions(String name) {
      return questions.getOrDefault(name, 0);
    }

    private void serve() {
      byte[] buf = new byte[512];
      while (!socket.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          socket.receive(p);
          byte[] reply = answer(Arrays.copyOf(p.getData(), p.getLength()));
          if (reply != null) {
            socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
          }
        } catch (Exception e) {
          if (socket.isClosed()) {
            return;
          }
        }
      }
    }

    private byte[] answer(byte[] q) {
      int pos = 12;
      StringBuilder name = new StringBuilder();
      while (q[pos] != 0) {
        int len = q[pos++] & 0xff;
        if (name.length() > 0) {
          name.append('.');
        }
        name.append(new String(q, pos, len, StandardCharsets.US_ASCII));
        pos += len;
      }
      pos++;
      int type = ((q[pos] & 0xff) << 8) | (q[pos + 1] & 0xff);
      int questionEnd = pos + 4;
      String qname = name.toString().toLowerCase(Locale.ROOT);
      questions.merge(qname, 1, Integer::sum);
      String how = behaviour.get(qname);
      if ("silent".equals(how)) {
        return null;
      }
      Map<Integer, List<String>> byType = records.get(qname);
      int rcode = "servfail".equals(how) ? 2 : byType == null ? 3 : 0;
      List<String> values = rcode == 0 ? byType.getOrDefault(type, List.of()) : List.of();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(q[0]);
      out.write(q[1]);
      out.write(0x80 | (q[2] & 0x01)); // QR, RD copied
      out.write(0x80 | rcode); // RA, RCODE
      writeShort(out, 1);
      writeShort(out, values.size());
      writeShort(out, 0);
      writeShort(out, 0);
      out.write(q, 12, questionEnd - 12);
      for (String value : values) {
        writeShort(out, 0xc00c); // the question's name
        writeShort(out, type);
        writeShort(out, 1);
        writeShort(out, 0);
        writeShort(out, 60);
        byte[] rdata = type == 12 ? encodeName(value) : IpAddress.parse(value).toBytes();
        writeShort(out, rdata.length);
        out.write(rdata, 0, rdata.length);
      }
      return out.toByteArray();
    }

    private static byte[] encodeName(String name) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (String label : name.split("\\.")) {
        byte[] b = label.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.write(b, 0, b.length);
      }
      out.write(0);
      return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
      out.write((v >>> 8) & 0xff);
      out.write(v & 0xff);
    }

    @Override
    public void close() {
      socket.close();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
