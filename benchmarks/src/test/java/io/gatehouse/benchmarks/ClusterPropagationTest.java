package io.gatehouse.benchmarks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A smoke run of {@link ClusterPropagation}, so that it keeps working; no timing is asserted. */
class ClusterPropagationTest {

  @Test
  void aFewRuleChangesReachTheOtherInstance() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")),
        "no redis-server at /usr/bin/redis-server (apt-get install redis-server): the propagation smoke run is skipped");
    ClusterPropagation.main(new String[] {"4"});
  }
}
