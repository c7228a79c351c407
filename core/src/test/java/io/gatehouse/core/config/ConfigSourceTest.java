package io.gatehouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

  /** A class loader like a servlet container's: the stream comes from a cache, the URL names the file. */
  private static final class CachingLoader extends ClassLoader {
    private final Path file;
    private final byte[] cached;

    CachingLoader(Path file, String cached) {
      super(null);
      this.file = file;
      this.cached = cached.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public URL getResource(String name) {
      try {
        return name.equals("gatehouse.properties") ? file.toUri().toURL() : null;
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      return name.equals("gatehouse.properties") ? new ByteArrayInputStream(cached) : null;
    }
  }

  @Test
  void aClasspathResourceThatIsAFileIsReadFromDiskNotFromTheLoadersCache(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gatehouse.properties");
    Files.writeString(file, "gatehouse.mode=simulate\n");
    ConfigSource source = ConfigSource.parse("classpath:/gatehouse.properties",
        new CachingLoader(file, "gatehouse.mode=enforce\n"));
    assertThat(source.read()).isEqualTo("gatehouse.mode=simulate\n");
    assertThat(source.path()).contains(file);
    Files.writeString(file, "gatehouse.mode=enforce\ngatehouse.on-error=block\n");
    assertThat(source.read()).as("what the file holds now").contains("on-error=block");
  }

  @Test
  void aClasspathResourceInsideAJarIsReadThroughTheLoader() throws Exception {
    ClassLoader jarLike = new ClassLoader(null) {
      @Override
      public URL getResource(String name) {
        try {
          return new URL("jar:file:/app.jar!/" + name);
        } catch (MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public InputStream getResourceAsStream(String name) {
        return new ByteArrayInputStream("gatehouse.mode=enforce\n".getBytes(StandardCharsets.UTF_8));
      }
    };
    ConfigSource source = ConfigSource.classpath("gatehouse.properties", jarLike);
    assertThat(source.path()).isEmpty();
    assertThat(source.read()).isEqualTo("gatehouse.mode=enforce\n");
  }
}
