package io.gatehouse.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} of a test's own: a free port on 127.0.0.1, a temporary directory, nothing
 * saved to disk. Stopped by its process id, never by name. A test that needs one is skipped, saying why,
 * where the binary is absent ({@code apt-get install redis-server}; {@code .ci/run} installs it).
 */
final class RedisServer implements AutoCloseable {

  static final Path BINARY = Path.of(System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server"));

  final int port;
  private final Path dir;
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server, or skips the test when there is no {@code redis-server}. */
  static RedisServer start() throws IOException, InterruptedException {
    RedisServer server = create();
    server.restart();
    return server;
  }

  /** A server on a free port, not started yet (or skips the test when there is no {@code redis-server}). */
  static RedisServer create() throws IOException {
    assumeTrue(Files.isExecutable(BINARY), "no redis-server at " + BINARY + " (apt-get install redis-server, or set"
        + " REDIS_SERVER): the tests against a real Redis are skipped");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return new RedisServer(port, Files.createTempDirectory("gatehouse-redis-"));
  }

  String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Starts the server (again, on the same port, empty) and waits until it accepts connections. */
  void restart() throws IOException, InterruptedException {
    process = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write("PING\r\n".getBytes());
        byte[] buf = new byte[7];
        if (s.getInputStream().read(buf) > 0 && new String(buf).startsWith("+PONG")) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IOException("redis-server did not start on port " + port + ": " + Files.readString(dir.resolve("redis.log")));
      }
      Thread.sleep(20);
    }
  }

  /** Stops the server's process (SIGSTOP) by its id: connections stay open and nothing answers, as a stalled server. */
  void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** Lets a paused server go on (SIGCONT). */
  void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String which) throws IOException, InterruptedException {
    new ProcessBuilder("kill", which, Long.toString(process.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
