package io.gatehouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PropertiesReaderTest {

  private static List<ConfigSource.Entry> read(String text, ConfigException.Collector problems) {
    return PropertiesReader.read("test.properties", text, problems);
  }

  @Test
  void keepsOrderAndTheLineEachEntryStartsOn() {
    ConfigException.Collector problems = new ConfigException.Collector();
    List<ConfigSource.Entry> entries = read("""
        # comment
        ! also a comment
        b.key=2

        a.key = 1
        c.key:three
        d.key four  words
        e.key=first \\
              second \\
          third
        f.key=
        """, problems);
    assertThat(problems.isEmpty()).isTrue();
    assertThat(entries).extracting(ConfigSource.Entry::key)
        .containsExactly("b.key", "a.key", "c.key", "d.key", "e.key", "f.key");
    assertThat(entries).extracting(ConfigSource.Entry::line).containsExactly(3, 5, 6, 7, 8, 11);
    assertThat(entries).extracting(ConfigSource.Entry::valueColumn).containsExactly(7, 9, 7, 7, 7, 7);
    assertThat(entries).extracting(ConfigSource.Entry::value)
        .containsExactly("2", "1", "three", "four  words", "first second third", "");
  }

  @Test
  void agreesWithJavaUtilPropertiesOnEscapes() throws Exception {
    String text = "k\\=ey=v\\u00e9\\t\\\\x\\=y\nsp\\ ace = a\\nb\ncolon\\:k=:v\ntrail=x\\\\\n";
    ConfigException.Collector problems = new ConfigException.Collector();
    List<ConfigSource.Entry> entries = read(text, problems);
    Properties jdk = new Properties();
    jdk.load(new StringReader(text));
    assertThat(problems.isEmpty()).isTrue();
    assertThat(entries).hasSize(jdk.size());
    for (ConfigSource.Entry e : entries) {
      assertThat(e.value()).as(e.key()).isEqualTo(jdk.getProperty(e.key()));
    }
  }

  @Test
  void aKeySetTwiceIsAProblemNamingBothLines() {
    ConfigException.Collector problems = new ConfigException.Collector();
    List<ConfigSource.Entry> entries = read("a=1\nb=2\na=3\n", problems);
    assertThat(entries).hasSize(2);
    assertThat(problems.list()).extracting(Object::toString)
        .containsExactly("test.properties:3: a: set twice; it is already set at line 1");
  }

  @Test
  void malformedUnicodeEscapeIsAProblem() {
    ConfigException.Collector problems = new ConfigException.Collector();
    read("a=\\u12\n", problems);
    assertThat(problems.list()).extracting(Object::toString)
        .containsExactly("test.properties:1: a: malformed \\uXXXX escape");
  }

  /** A lone backslash continues a line that is still empty: the next line is then read as a line of its own. */
  @ParameterizedTest
  @ValueSource(strings = {"a=1\\\nrefresh\\\n\n\\\n!\rg h\r\n", "\\\n!x\ny=2\n", "\\\n# c\\\nz=3\n",
      " \\\n  #c\nk=v\n", "\\\n\nk=v\n", "\\\n  k=v\n"})
  void aContinuedEmptyLineReadsAsPropertiesDoes(String text) throws Exception {
    ConfigException.Collector problems = new ConfigException.Collector();
    List<ConfigSource.Entry> entries = read(text, problems);
    Properties jdk = new Properties();
    jdk.load(new StringReader(text));
    assertThat(problems.list()).isEmpty();
    assertThat(entries).extracting(ConfigSource.Entry::key).containsExactlyInAnyOrderElementsOf(jdk.stringPropertyNames());
    for (ConfigSource.Entry e : entries) {
      assertThat(e.value()).as(e.key()).isEqualTo(jdk.getProperty(e.key()));
    }
  }

  @Test
  void windowsAndOldMacLineEndings() {
    ConfigException.Collector problems = new ConfigException.Collector();
    List<ConfigSource.Entry> entries = read("a=1\r\nb=2\rc=3", problems);
    assertThat(entries).extracting(ConfigSource.Entry::line).containsExactly(1, 2, 3);
  }
}
