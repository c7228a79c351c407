package io.gatehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.CapturedLogs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Trusted proxies so broad that anyone can choose their own address are warned about at load. */
class TrustedProxiesWarningTest {

  /** Loads {@code proxies} from a source named {@code name}; returns the warnings about them. */
  private static List<CapturedLogs.Entry> load(String name, String proxies) throws Exception {
    Gatehouse.builder().config(ConfigSource.text(name, "gatehouse.client-ip.header=X-Forwarded-For\n"
        + "gatehouse.client-ip.trusted-proxies=" + proxies + "\n")).environment(Map.of()).build();
    // The source name is unique to each test, so records of other tests in this JVM are not counted.
    return CapturedLogs.find(PolicyCompiler.class.getName(), e -> e.level() == Level.WARN
        && e.message().startsWith(name + ":2: gatehouse.client-ip.trusted-proxies"));
  }

  @Test
  void everyAddressIsWarnedAbout() throws Exception {
    assertThat(load("all-v4", "10.0.0.0/8, 0.0.0.0/0")).singleElement().satisfies(e -> assertThat(e.message())
        .isEqualTo("all-v4:2: gatehouse.client-ip.trusted-proxies trusts 0.0.0.0/0: far more than a site's own"
            + " proxies, and then anyone there chooses their own address by sending X-Forwarded-For"));
  }

  @Test
  void anIpv4NetworkShorterThanASlash8IsWarnedAbout() throws Exception {
    assertThat(load("wide-v4", "10.0.0.0/7")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("trusts 10.0.0.0/7:").contains("chooses their own address"));
  }

  @Test
  void everyBroadNetworkIsNamedInOneWarning() throws Exception {
    assertThat(load("several", "0.0.0.0/0, 2001:db8::/32, ::/0, 2000::/15, 2001::/16, 1.0.0.0/8")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("trusts 0.0.0.0/0, ::/0, 2000::/15:"));
  }

  @Test
  void aSlash8OrNarrowerIsNotWarnedAbout() throws Exception {
    assertThat(load("narrow", "10.0.0.0/8, 2001::/16, 192.168.0.0/16")).isEmpty();
  }
}
