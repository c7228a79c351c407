package io.gatehouse.core.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geo databases named by URL ({@code gatehouse.geo.*=https://...}, {@code .gz} or not), kept as files in
 * the cache directory so that the compiler loads them like any file, and refreshed in the background:
 * every {@code gatehouse.geo.refresh} with {@code If-None-Match}, so an unchanged database costs a 304.
 * A new copy is written beside the old and renamed over it, which the configuration watcher sees as a
 * change and reloads; a download that fails keeps the copy there is. The first start without a copy
 * fetches once, within {@code gatehouse.reputation.fetch-timeout}; if that fails the data is absent until
 * a retry (each minute) succeeds, as a feed's is: an outage is not a configuration error.
 *
 * <p>Thread-safe.
 */
final class GeoDownloads implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("gatehouse.geo");
  private static final long RETRY_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** One URL: where its copy lives, and when it was last looked at. */
  private static final class Download {
    final URI url;
    volatile Path file;
    volatile Duration timeout;
    volatile long checkedAt = Long.MIN_VALUE; // ticker time of the last answer (200 or 304)
    volatile long attemptedAt = Long.MIN_VALUE;

    Download(URI url) {
      this.url = url;
    }
  }

  private HttpClient http; // made on the first download: a client runs a thread, and most configurations name no URL
  private final Map<URI, Download> downloads = new ConcurrentHashMap<>();
  private final LongSupplier ticker;
  private volatile Duration refresh = Duration.ofDays(1);
  private ScheduledFuture<?> task;

  GeoDownloads(LongSupplier ticker) {
    this.ticker = ticker;
  }

  /** The cache file for {@code url} in {@code cacheDir}: named by a hash of the URL, ending as the data does. */
  static Path cacheFile(Path cacheDir, URI url) {
    String path = url.getPath() == null ? "" : url.getPath().toLowerCase(Locale.ROOT);
    if (path.endsWith(".gz")) {
      path = path.substring(0, path.length() - 3);
    }
    String suffix = path.endsWith(".mmdb") ? ".mmdb" : path.endsWith(".tsv") ? ".tsv" : ".data";
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
      return cacheDir.resolve("geo-" + HexFormat.of().formatHex(h, 0, 8) + suffix);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The file holding {@code url}'s data, fetched now if there is no copy yet (a failure is logged, and the
   * file is then absent). The URL is refreshed from now on.
   */
  Path file(URI url, Path cacheDir, Duration timeout, Duration refreshEvery) {
    Download d = downloads.computeIfAbsent(url, Download::new);
    d.file = cacheFile(cacheDir, url);
    d.timeout = timeout;
    refresh = refreshEvery;
    if (!Files.isRegularFile(d.file)) {
      fetchQuietly(d);
    }
    return d.file;
  }

  /** Keeps refreshing only these URLs: the ones the configuration in force names. */
  void retain(Set<URI> urls) {
    downloads.keySet().retainAll(urls);
  }

  /** Refreshes on {@code scheduler}, looking each minute for a URL that is due. */
  synchronized void start(ScheduledExecutorService scheduler) {
    if (task == null) {
      task = scheduler.scheduleWithFixedDelay(this::refreshDue, 0, 1, TimeUnit.MINUTES);
    }
  }

  /** Fetches every URL whose copy is older than the refresh interval, or missing and not tried this minute. */
  void refreshDue() {
    long now = ticker.getAsLong();
    for (Download d : downloads.values()) {
      boolean missing = d.file == null || !Files.isRegularFile(d.file);
      boolean due = d.checkedAt == Long.MIN_VALUE || now - d.checkedAt >= refresh.toNanos();
      if (missing ? d.attemptedAt == Long.MIN_VALUE || now - d.attemptedAt >= RETRY_NANOS : due) {
        fetchQuietly(d);
      }
    }
  }

  private void fetchQuietly(Download d) {
    d.attemptedAt = ticker.getAsLong();
    try {
      if (fetch(d)) {
        LOG.info("geo data {}: downloaded to {}", d.url, d.file);
      }
      d.checkedAt = ticker.getAsLong();
    } catch (IOException e) {
      LOG.warn("geo data {}: {}; {}", d.url, e.getMessage(), Files.isRegularFile(d.file)
          ? "keeping the copy in " + d.file : "no data until a download succeeds (retried each minute)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized HttpClient client() {
    if (http == null) {
      http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10))
          .build();
    }
    return http;
  }

  /** A conditional GET; true when a new copy was put in place, false for 304. */
  private boolean fetch(Download d) throws IOException, InterruptedException {
    Path file = d.file;
    Files.createDirectories(file.getParent());
    Path etagFile = file.resolveSibling(file.getFileName() + ".etag");
    HttpRequest.Builder request = HttpRequest.newBuilder(d.url).timeout(d.timeout).GET()
        .header("User-Agent", "Gatehouse geo refresh");
    if (Files.isRegularFile(file) && Files.isRegularFile(etagFile)) {
      request.header("If-None-Match", Files.readString(etagFile, StandardCharsets.UTF_8).trim());
    }
    Path part = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
    Path plain = null;
    try {
      HttpResponse<Path> response = client().send(request.build(), HttpResponse.BodyHandlers.ofFile(part));
      if (response.statusCode() == 304) {
        return false;
      }
      if (response.statusCode() != 200) {
        throw new IOException("answered HTTP " + response.statusCode());
      }
      if (Files.size(part) == 0) {
        throw new IOException("answered with an empty body");
      }
      Path data = part;
      if (isGzip(part)) {
        plain = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(part));
            OutputStream out = Files.newOutputStream(plain)) {
          in.transferTo(out);
        }
        data = plain;
      }
      move(data, file);
      String etag = response.headers().firstValue("ETag").orElse(null);
      if (etag != null) {
        Files.writeString(etagFile, etag, StandardCharsets.UTF_8);
      } else {
        Files.deleteIfExists(etagFile);
      }
      return true;
    } catch (java.net.http.HttpTimeoutException e) {
      throw new IOException("no answer within " + d.timeout.toSeconds() + "s", e);
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot connect", e);
    } finally {
      Files.deleteIfExists(part);
      if (plain != null) {
        Files.deleteIfExists(plain);
      }
    }
  }

  private static boolean isGzip(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }
}
