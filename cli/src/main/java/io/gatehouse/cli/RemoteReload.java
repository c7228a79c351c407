package io.gatehouse.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code gatehouse reload [--force] ADMIN-URL}: asks a running filter to reload its configuration,
 * through its admin endpoint {@code POST /reload}, with the bearer token from
 * {@code GATEHOUSE_ADMIN_TOKEN}. {@code --force} applies a change that the half-written-file guard
 * refuses (an emptied file, a lost admin token or trusted proxies, most rules gone).
 */
final class RemoteReload {

  static final String TOKEN_VARIABLE = "GATEHOUSE_ADMIN_TOKEN";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private RemoteReload() {}

  /** Exit status: 0 applied, 1 refused (the problems are printed), 2 a usage or connection error. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    boolean force = false;
    String base = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--force")) {
        force = true;
      } else if (base == null && !args[i].startsWith("--")) {
        base = args[i];
      } else {
        err.println("unknown option " + args[i]);
        return 2;
      }
    }
    String token = env.get(TOKEN_VARIABLE);
    if (base == null) {
      err.println("reload needs the admin URL, such as http://127.0.0.1:8080/__gatehouse");
      return 2;
    }
    if (token == null || token.isBlank()) {
      err.println("reload needs the admin token in " + TOKEN_VARIABLE);
      return 2;
    }
    URI uri;
    try {
      uri = new URI(base.replaceAll("/+$", "") + "/reload" + (force ? "?force=true" : ""));
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new URISyntaxException(base, "needs http:// or https:// and a host");
      }
    } catch (URISyntaxException e) {
      err.println("'" + base + "' is not an admin URL: " + e.getReason());
      return 2;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println(uri + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(uri + ": interrupted");
      return 2;
    }
    return switch (response.statusCode()) {
      case 200 -> {
        out.println("applied " + response.body());
        yield 0;
      }
      case 422 -> {
        err.println("refused; the running configuration stays: " + response.body());
        yield 1;
      }
      default -> {
        err.println(uri + ": HTTP " + response.statusCode() + " " + response.body());
        yield 2;
      }
    };
  }
}
