package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference names every key the engine accepts, and no key it does not. */
class DocumentationTest {

  @Test
  void everyConfigurationKeyIsInTheReadmeReference() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String reference = readme.substring(readme.indexOf("## Configuration reference"));
    for (String key : Gatehouse.configurationKeys()) {
      assertThat(reference).as("README reference row for %s", key).contains("| `" + key + "` |");
    }
    long rows = reference.lines().filter(l -> l.startsWith("| `gatehouse.")).count();
    assertThat(rows).as("rows in the reference").isEqualTo(Gatehouse.configurationKeys().size());
  }
}
