package io.gatehouse.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the DevTools protocol, for tests that must wait for a page's own script
 * (a challenge solving itself, a dashboard fetching data) and click or type like a person. Only the JDK's
 * WebSocket client and JSON-P are used. Skips the test (as {@link Chromium#require()}) where no browser
 * is installed.
 */
public final class Browser implements AutoCloseable {

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  private Browser(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** Starts a browser with a new, empty profile. */
  public static Browser launch() throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("gatehouse-cdp");
    List<String> cmd = Chromium.baseCommand(profile);
    cmd.add("--remote-debugging-port=0");
    cmd.add("--window-size=1280,900");
    cmd.add("about:blank");
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(
        profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        process.destroyForcibly();
        throw new IOException("Chromium did not open its debugging port");
      }
      Thread.sleep(50);
    }
    List<String> lines = Files.readAllLines(portFile);
    URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
    Listener listener = new Listener();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, listener).join();
    Browser b = new Browser(process, profile, ws);
    listener.browser = b;
    return b;
  }

  /** Opens a new tab. */
  public Page newPage() throws IOException {
    String target = send(null, "Target.createTarget", Json.createObjectBuilder().add("url", "about:blank"))
        .getString("targetId");
    String session = send(null, "Target.attachToTarget",
        Json.createObjectBuilder().add("targetId", target).add("flatten", true)).getString("sessionId");
    Page page = new Page(session);
    page.call("Page.enable", Json.createObjectBuilder());
    page.call("Runtime.enable", Json.createObjectBuilder());
    return page;
  }

  /** One tab. */
  public final class Page {
    private final String session;

    private Page(String session) {
      this.session = session;
    }

    JsonObject call(String method, JsonObjectBuilder params) throws IOException {
      return send(session, method, params);
    }

    /** Loads {@code url} and waits for its load event. */
    public void navigate(String url) throws IOException, InterruptedException {
      events.clear();
      call("Page.navigate", Json.createObjectBuilder().add("url", url));
      waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", Duration.ofSeconds(30));
    }

    /** Evaluates a script expression (promises awaited) and returns its value as JSON. */
    public JsonValue evaluate(String expression) throws IOException {
      JsonObject r = call("Runtime.evaluate", Json.createObjectBuilder().add("expression", expression)
          .add("returnByValue", true).add("awaitPromise", true));
      if (r.containsKey("exceptionDetails")) {
        throw new IOException("script failed: " + r.getJsonObject("exceptionDetails"));
      }
      JsonObject result = r.getJsonObject("result");
      return result.containsKey("value") ? result.get("value") : JsonValue.NULL;
    }

    /** The string value of an expression. */
    public String text(String expression) throws IOException {
      JsonValue v = evaluate(expression);
      return v instanceof jakarta.json.JsonString s ? s.getString() : v.toString();
    }

    /** Waits until a script expression is true; fails after {@code timeout}. */
    public void waitFor(String condition, Duration timeout) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      String last = "";
      while (System.nanoTime() < deadline) {
        try {
          if (evaluate("!!(" + condition + ")") == JsonValue.TRUE) {
            return;
          }
        } catch (IOException e) {
          last = e.getMessage(); // the page may be between documents
        }
        Thread.sleep(50);
      }
      throw new AssertionError("timed out waiting for " + condition + " " + last + " on " + text("location.href"));
    }

    /** Clicks the first element matching a CSS selector. */
    public void click(String selector) throws IOException {
      evaluate("(() => { const e = document.querySelector(" + quote(selector) + ");"
          + " if (!e) throw new Error('no element ' + " + quote(selector) + "); e.click(); })()");
    }

    /** Types into the first element matching a CSS selector, as input events. */
    public void type(String selector, String value) throws IOException {
      evaluate("(() => { const e = document.querySelector(" + quote(selector) + ");"
          + " if (!e) throw new Error('no element ' + " + quote(selector) + ");"
          + " e.focus(); e.value = " + quote(value) + ";"
          + " e.dispatchEvent(new Event('input', {bubbles: true}));"
          + " e.dispatchEvent(new Event('change', {bubbles: true})); })()");
    }

    /** Sets the viewport size. */
    public void viewport(int width, int height) throws IOException {
      call("Emulation.setDeviceMetricsOverride", Json.createObjectBuilder().add("width", width).add("height", height)
          .add("deviceScaleFactor", 1).add("mobile", width < 600));
    }

    /** Turns the page's scripts off (or on again) for the next load. */
    public void scriptsDisabled(boolean disabled) throws IOException {
      call("Emulation.setScriptExecutionDisabled", Json.createObjectBuilder().add("value", disabled));
    }

    /**
     * Writes a PNG of the viewport, or of the whole page: then the viewport is stretched to the page's
     * height for the shot (capturing beyond the viewport leaves parts unpainted) and put back.
     */
    public void screenshot(Path png, boolean fullPage) throws IOException {
      int width = Integer.parseInt(text("String(window.innerWidth)"));
      int height = Integer.parseInt(text("String(window.innerHeight)"));
      if (fullPage) {
        int full = Integer.parseInt(text("String(Math.ceil(document.documentElement.scrollHeight))"));
        viewport(width, Math.max(height, full));
      }
      try {
        String data = call("Page.captureScreenshot", Json.createObjectBuilder().add("format", "png")).getString("data");
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(data));
      } finally {
        if (fullPage) {
          viewport(width, height);
        }
      }
    }
  }

  private static String quote(String s) {
    return Json.createValue(s).toString();
  }

  private JsonObject send(String session, String method, JsonObjectBuilder params) throws IOException {
    int id = ids.incrementAndGet();
    JsonObjectBuilder msg = Json.createObjectBuilder().add("id", id).add("method", method).add("params", params);
    if (session != null) {
      msg.add("sessionId", session);
    }
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(msg.build().toString(), true).join();
    try {
      JsonObject r = reply.get(60, TimeUnit.SECONDS);
      if (r.containsKey("error")) {
        throw new IOException(method + ": " + r.getJsonObject("error"));
      }
      return r.getJsonObject("result");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(method + " got no answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(method + " interrupted", e);
    }
  }

  private static final class Listener implements WebSocket.Listener {
    volatile Browser browser;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject msg = Json.createReader(new StringReader(partial.toString())).readObject();
        partial.setLength(0);
        if (msg.containsKey("id")) {
          CompletableFuture<JsonObject> f = browser.pending.remove(msg.getInt("id"));
          if (f != null) {
            f.complete(msg);
          }
        } else {
          browser.events.add(msg);
        }
      }
      ws.request(1);
      return null;
    }
  }

  @Override
  public void close() {
    try {
      socket.sendText(Json.createObjectBuilder().add("id", ids.incrementAndGet()).add("method", "Browser.close")
          .build().toString(), true);
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (RuntimeException | InterruptedException e) {
      // closing anyway
    } finally {
      process.destroyForcibly();
      Chromium.deleteProfile(profile);
      try {
        Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
      } catch (IOException ignored) {
        // harmless
      }
    }
  }
}
