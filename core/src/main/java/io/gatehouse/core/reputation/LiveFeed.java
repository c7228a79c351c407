package io.gatehouse.core.reputation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One feed and the data it currently provides. A refresh that fails, or whose content is entirely
 * unparsable, keeps the last good data and records why. URL feeds are fetched with {@code ETag} and
 * {@code If-Modified-Since} so an unchanged feed costs a 304, and every good copy is kept on disk so a
 * restart works while the URL is down.
 *
 * <p>Thread-safe: refreshes are serialised on the feed; readers see a consistent snapshot.
 */
final class LiveFeed {

  private static final Logger LOG = LoggerFactory.getLogger("gatehouse.reputation");
  /** How many rejected lines a load names in the log; the feed's status keeps more. */
  static final int LOGGED_REJECTIONS = 5;

  final FeedRegistry.Spec spec;
  private final HttpClient http;
  private final Duration timeout;
  private final Path cacheDir;
  private final Path cacheFile;
  private final Path metaFile;
  private final Clock clock;

  private volatile FeedParser.Parsed data;
  private volatile Instant loadedAt;
  private volatile String loadedFrom = "none";
  private volatile Instant lastAttempt;
  private volatile String lastError;
  private String etag;
  private String lastModified;
  private long fileStamp = Long.MIN_VALUE;

  LiveFeed(FeedRegistry.Spec spec, HttpClient http, Duration timeout, Path cacheDir, Clock clock) {
    this.spec = spec;
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
    this.cacheDir = cacheDir;
    this.data = FeedParser.Parsed.empty(spec.format());
    if (spec.url() != null && cacheDir != null) {
      String key = spec.name() + "-" + HexFormat.of().formatHex(sha256(spec.url().toString()), 0, 6);
      this.cacheFile = cacheDir.resolve(key + ".feed");
      this.metaFile = cacheDir.resolve(key + ".meta");
    } else {
      this.cacheFile = null;
      this.metaFile = null;
    }
  }

  /** Whether this feed was set up exactly as {@code spec} with these settings would be. */
  boolean sameAs(FeedRegistry.Spec other, Path otherCacheDir, Duration otherTimeout) {
    return spec.equals(other) && (spec.url() == null
        || java.util.Objects.equals(cacheDir, otherCacheDir) && timeout.equals(otherTimeout));
  }

  FeedParser.Parsed data() {
    return data;
  }

  FeedRegistry.Status status() {
    FeedParser.Parsed d = data;
    return new FeedRegistry.Status(spec.name(), spec.source(), d.format().id(), spec.score(), d.entries(),
        d.scores().sizeV4() + d.scores().sizeV6(), d.rejected(), d.rejectedSample(), loadedAt, loadedFrom,
        lastAttempt, lastError);
  }

  /**
   * The first load, when the feed is configured: a file is read (its problems are the configuration's);
   * a URL is served from the disk copy if there is one (and fetched in the background later), else
   * fetched now.
   *
   * @throws IOException for a file that cannot be read or holds nothing usable
   */
  synchronized void initialLoad() throws IOException {
    if (spec.file() != null) {
      loadFile(true);
      return;
    }
    if (cacheFile != null && Files.isRegularFile(cacheFile)) {
      try {
        FeedParser.Parsed cached = parseFile(cacheFile);
        readMeta();
        install(cached, "cache");
        return;
      } catch (IOException e) {
        LOG.warn("feed {}: the cached copy {} cannot be used ({}); fetching", spec.name(), cacheFile, e.getMessage());
      }
    }
    refresh();
  }

  /** Brings the data up to date; never throws. Returns whether new data was installed. */
  synchronized boolean refresh() {
    lastAttempt = clock.instant();
    try {
      boolean changed = spec.file() != null ? loadFile(false) : fetch();
      lastError = null;
      return changed;
    } catch (IOException | RuntimeException e) {
      lastError = describe(e);
      LOG.warn("feed {}: refresh from {} failed, keeping the last good data ({} entries): {}", spec.name(),
          spec.source(), data.entries(), lastError);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lastError = "interrupted";
      return false;
    }
  }

  /** What went wrong, in words that say where and why: not only {@code ConnectException}. */
  String describe(Exception e) {
    String message = e.getMessage();
    URI url = spec.url();
    String where = url == null ? String.valueOf(spec.file())
        : url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    if (e instanceof HttpTimeoutException) {
      return "no answer from " + where + " within " + timeout.toMillis() + " ms";
    } else if (e instanceof ConnectException) {
      return "cannot connect to " + where + (message == null ? " (connection refused)" : ": " + message);
    } else if (e instanceof UnknownHostException) {
      return "unknown host " + where;
    } else if (e instanceof SSLException) {
      return "TLS with " + where + " failed" + (message == null ? "" : ": " + message);
    } else if (message == null) {
      return e.getClass().getSimpleName() + " from " + where;
    }
    return message;
  }

  private boolean loadFile(boolean first) throws IOException {
    long stamp;
    try {
      FileTime t = Files.getLastModifiedTime(spec.file());
      stamp = t.toMillis() * 31 + Files.size(spec.file());
    } catch (NoSuchFileException e) {
      throw new IOException("no such file: " + spec.file(), e);
    }
    if (!first && stamp == fileStamp) {
      return false;
    }
    FeedParser.Parsed parsed = parseFile(spec.file());
    fileStamp = stamp;
    install(parsed, "file");
    return true;
  }

  private FeedParser.Parsed parseFile(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return usable(FeedParser.parse(r, spec.format(), spec.score()), file.toString());
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IOException(file + " is not UTF-8 text", e);
    }
  }

  /**
   * A feed with no entry at all is refused as a feed with only bad lines is: an empty file or download is
   * far likelier a truncated copy than a list that became empty, and on refresh the last good data stays.
   */
  private FeedParser.Parsed usable(FeedParser.Parsed parsed, String where) throws IOException {
    if (parsed.entries() == 0 && parsed.rejected() > 0) {
      throw new IOException(where + " holds nothing usable as " + parsed.format().id() + ": all "
          + parsed.rejected() + " lines rejected, first " + parsed.rejectedSample().get(0));
    }
    if (parsed.entries() == 0) {
      throw new IOException(where + " holds no entries (it is empty, or only comments)");
    }
    return parsed;
  }

  private boolean fetch() throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(spec.url()).timeout(timeout).GET()
        .header("User-Agent", "Gatehouse feed refresh");
    if (etag != null) {
      request.header("If-None-Match", etag);
    }
    if (lastModified != null) {
      request.header("If-Modified-Since", lastModified);
    }
    Path download = cacheFile != null
        ? Files.createTempFile(cacheFile.getParent(), spec.name(), ".part")
        : Files.createTempFile("gatehouse-" + spec.name(), ".part");
    try {
      HttpResponse<Path> response = http.send(request.build(), HttpResponse.BodyHandlers.ofFile(download));
      int status = response.statusCode();
      if (status == 304) {
        return false;
      }
      if (status != 200) {
        throw new IOException(spec.url() + " answered HTTP " + status);
      }
      FeedParser.Parsed parsed = parseFile(download);
      etag = response.headers().firstValue("ETag").orElse(null);
      lastModified = response.headers().firstValue("Last-Modified").orElse(null);
      if (cacheFile != null) {
        move(download, cacheFile);
        writeMeta();
      }
      install(parsed, "url");
      return true;
    } finally {
      Files.deleteIfExists(download);
    }
  }

  private void install(FeedParser.Parsed parsed, String from) {
    data = parsed;
    loadedAt = clock.instant();
    loadedFrom = from;
    if (parsed.rejected() > 0) {
      List<?> sample = parsed.rejectedSample();
      List<?> logged = sample.subList(0, Math.min(LOGGED_REJECTIONS, sample.size()));
      String rejected = "; " + parsed.rejected() + " lines rejected, "
          + (logged.size() < parsed.rejected() ? "the first " + logged.size() + ": " : "") + logged.stream()
              .map(Object::toString).collect(java.util.stream.Collectors.joining("; "));
      LOG.warn("feed {}: loaded {} entries from {} ({}){}", spec.name(), parsed.entries(), from, spec.source(), rejected);
    } else {
      LOG.info("feed {}: loaded {} entries from {} ({})", spec.name(), parsed.entries(), from, spec.source());
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void readMeta() {
    if (metaFile == null || !Files.isRegularFile(metaFile)) {
      return;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(metaFile)) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      if (spec.url().toString().equals(p.getProperty("url"))) {
        etag = p.getProperty("etag");
        lastModified = p.getProperty("last-modified");
      }
    } catch (IOException e) {
      LOG.debug("feed {}: cannot read {}", spec.name(), metaFile, e);
    }
  }

  private void writeMeta() throws IOException {
    Properties p = new Properties();
    p.setProperty("url", spec.url().toString());
    if (etag != null) {
      p.setProperty("etag", etag);
    }
    if (lastModified != null) {
      p.setProperty("last-modified", lastModified);
    }
    Path tmp = metaFile.resolveSibling(metaFile.getFileName() + ".tmp");
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "Gatehouse feed cache");
    }
    move(tmp, metaFile);
  }

  private static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
