package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.ClientIp.Derivation;
import io.gatehouse.core.ClientIp;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.net.ClientIpResolver.Header;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A {@code Forwarded} parameter whose value is only blanks is a malformed hop, not an exception. */
class ForwardedBlankValueTest {

  private static final ClientIpResolver RESOLVER = ClientIpResolver.of(Header.FORWARDED, List.of(Cidr.parse("10.0.0.0/8")));

  @ParameterizedTest
  @ValueSource(strings = {"for= ", "for=\t\t;proto=https", "for = \t;", "by=10.0.0.1;for=  ", "for=\t=\t\t;;;=;;;;q"})
  void aBlankForIsAnInvalidHop(String element) {
    RequestFacts facts = RequestFacts.builder().peer("10.0.0.1").header("Forwarded", element + ", for=10.0.0.2").build();
    assertThat(RESOLVER.resolve(facts)).isEqualTo(new ClientIp(null, IpAddress.parse("10.0.0.1"), Derivation.INVALID_HOP));
  }

  @ParameterizedTest
  @ValueSource(strings = {"proto= ", "for=10.0.0.3;proto=\t", "proto = \t;host=a"})
  void aBlankProtoIsNotHttps(String element) {
    RequestFacts facts = RequestFacts.builder().peer("10.0.0.1").header("Forwarded", element).build();
    assertThat(RESOLVER.visitorUsedHttps(facts)).isFalse();
  }
}
