package io.gatehouse.cli;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Explanation;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tests a configuration before it is deployed.
 *
 * <pre>
 * java -jar gatehouse-cli.jar check gatehouse.properties
 * java -jar gatehouse-cli.jar explain gatehouse.properties --ip 203.0.113.9 --path /login --ua curl/8.4
 * GATEHOUSE_ADMIN_TOKEN=... java -jar gatehouse-cli.jar reload --force http://127.0.0.1:8080/__gatehouse
 * </pre>
 *
 * Exit status: 0 success, 1 the configuration has problems (or the reload was refused), 2 a usage error.
 */
public final class Main {

  static final String USAGE = """
      usage: gatehouse check CONFIG
             gatehouse explain CONFIG --ip ADDRESS [--method GET] [--host HOST] [--path /PATH?QUERY]
                                      [--ua USER-AGENT] [--header 'Name: Value']...
             gatehouse reload [--force] ADMIN-URL

        check    loads CONFIG as the filter would and prints its summary, or every problem as
                 file:line: key: message
        explain  prints how CONFIG would decide a request from ADDRESS, phase by phase
        reload   asks a running filter to reload (POST ADMIN-URL/reload, the token in
                 GATEHOUSE_ADMIN_TOKEN); --force applies a change that looks like a half-written file
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("reload")) {
      return RemoteReload.run(args, System.getenv(), out, err);
    }
    if (args.length < 2 || !(args[0].equals("check") || args[0].equals("explain"))) {
      err.print(USAGE);
      return 2;
    }
    Path config = Path.of(args[1]);
    if (!Files.isRegularFile(config)) {
      err.println(config + ": no such file");
      return 2;
    }
    RequestFacts facts = null;
    if (args[0].equals("explain")) {
      facts = request(args, err);
      if (facts == null) {
        err.print(USAGE);
        return 2;
      }
    } else if (args.length > 2) {
      err.print(USAGE);
      return 2;
    }
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build()) {
      if (facts == null) {
        out.println("OK " + config);
        out.println(g.status().summary());
        g.status().feeds().forEach(f -> out.println("feed " + f.name() + ": " + f.entries() + " entries from "
            + f.loadedFrom() + (f.rejected() > 0 ? ", " + f.rejected() + " lines rejected, first " + f.rejectedSample().get(0)
            : "") + (f.lastError() != null ? ", last error: " + f.lastError() : "")));
        return 0;
      }
      print(g.explain(facts), out);
      return 0;
    } catch (ConfigException e) {
      err.println(e.problems().size() == 1 ? "1 problem" : e.problems().size() + " problems");
      for (ConfigException.Problem p : e.problems()) {
        err.println(p);
      }
      return 1;
    }
  }

  private static RequestFacts request(String[] args, PrintStream err) {
    RequestFacts.Builder b = RequestFacts.builder();
    String ip = null;
    String path = "/";
    List<String> headers = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        err.println(flag + " needs a value");
        return null;
      }
      String value = args[++i];
      switch (flag) {
        case "--ip" -> ip = value;
        case "--method" -> b.method(value);
        case "--host" -> b.host(value);
        case "--path" -> path = value;
        case "--ua" -> b.header("User-Agent", value);
        case "--header" -> headers.add(value);
        default -> {
          err.println("unknown option " + flag);
          return null;
        }
      }
    }
    if (ip == null) {
      err.println("explain needs --ip");
      return null;
    }
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        err.println("--header needs 'Name: Value', not '" + h + "'");
        return null;
      }
      b.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
    }
    return b.peer(ip).uri(path).build();
  }

  static void print(Explanation x, PrintStream out) {
    Decision d = x.decision();
    out.println("decision: " + d.action().id() + (d.errorCode() > 0 ? " (error " + d.errorCode() + ")" : "")
        + " by " + d.source().id() + (d.ruleId() == null || d.ruleId().isEmpty() ? "" : " '" + d.ruleId() + "'")
        + (d.description() == null ? "" : ": " + d.description()));
    out.println("client: " + x.clientIp() + (x.asn() > 0 ? ", AS" + x.asn() + " " + x.asOrganization() : "")
        + ", " + x.country() + " (" + x.continent() + ")" + (x.sharedIp() ? ", shared address" : ""));
    out.println("threat score: " + x.threatScore() + (x.threatSources().isEmpty() ? "" : " (" + String.join(", ",
        x.threatSources()) + ")"));
    out.println("settings: " + x.settings());
    for (Explanation.PhaseTrace p : x.phases()) {
      out.println("  " + p.phase() + ": " + p.outcome());
      for (String detail : p.details()) {
        out.println("      " + detail);
      }
    }
  }
}
