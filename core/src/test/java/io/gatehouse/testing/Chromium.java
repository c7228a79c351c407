package io.gatehouse.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium for tests of pages a person looks at. Found at {@code $CHROMIUM} or
 * {@code /usr/bin/chromium}; where it is absent, tests that need it are skipped with a message saying
 * so (CI installs it, so there they always run).
 */
public final class Chromium {

  private Chromium() {}

  /** The browser's path, or null. */
  public static Path find() {
    String env = System.getenv("CHROMIUM");
    Path p = env != null && !env.isBlank() ? Path.of(env) : Path.of("/usr/bin/chromium");
    return Files.isExecutable(p) ? p : null;
  }

  /** Skips the calling test when no browser is installed. */
  public static Path require() {
    Path p = find();
    assumeTrue(p != null, "Chromium not found at $CHROMIUM or /usr/bin/chromium; browser test skipped"
        + " (install Debian's chromium package to run it)");
    return p;
  }

  /** The flags every run uses: headless, sandbox off (root in CI), no network chatter of its own. */
  public static List<String> baseCommand(Path profile) {
    Path binary = require();
    return new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile));
  }

  /** Loads {@code url} in a fresh profile and returns the DOM after scripts ran, as HTML. */
  public static String dumpDom(String url, String... extraFlags) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("gatehouse-chromium");
    try {
      return dumpDom(url, profile, extraFlags);
    } finally {
      deleteTree(profile);
    }
  }

  /**
   * Loads {@code url} with the given profile directory, which keeps cookies from one run to the next as a
   * real browser would, and returns the DOM after scripts ran.
   */
  public static String dumpDom(String url, Path profile, String... extraFlags) throws IOException, InterruptedException {
    List<String> cmd = baseCommand(profile);
    cmd.addAll(List.of(extraFlags));
    cmd.add("--dump-dom");
    cmd.add(url);
    return run(cmd, profile);
  }

  /** Removes a profile directory made for {@link #dumpDom(String, Path, String...)}. */
  public static void deleteProfile(Path profile) {
    deleteTree(profile);
  }

  /** Loads {@code url} and writes a PNG screenshot of the given window size. */
  public static void screenshot(String url, Path png, int width, int height, String... extraFlags)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("gatehouse-chromium");
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      List<String> cmd = baseCommand(profile);
      cmd.addAll(List.of(extraFlags));
      cmd.add("--window-size=" + width + "," + height);
      cmd.add("--screenshot=" + png.toAbsolutePath());
      cmd.add(url);
      run(cmd, profile);
      if (!Files.isRegularFile(png) || Files.size(png) == 0) {
        throw new IOException("Chromium wrote no screenshot to " + png);
      }
    } finally {
      deleteTree(profile);
    }
  }

  private static String run(List<String> cmd, Path profile) throws IOException, InterruptedException {
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("Chromium did not finish in 90 s: " + cmd);
    }
    try {
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException("Chromium exited " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
      }
      return stdout;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp profile left behind is harmless
    }
  }
}
