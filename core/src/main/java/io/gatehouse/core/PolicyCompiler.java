package io.gatehouse.core;

import io.gatehouse.core.config.ConfigEntry;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigProblems;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.config.Interpolator;
import io.gatehouse.core.config.KeyRegistry;
import io.gatehouse.core.config.PropertiesReader;
import io.gatehouse.core.config.Values;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.rules.AccessRule;
import io.gatehouse.core.rules.AccessRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a configuration source into a {@link Policy}: reads the properties, interpolates, hands every
 * entry to the handler of its key, checks what spans several keys, and builds the stages. Every
 * problem is collected; if there is any, nothing is built and all of them are thrown together.
 */
final class PolicyCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");
  private static final Set<Integer> RENDERED_CODES =
      Set.of(ErrorCodes.ACCESS_DENIED, ErrorCodes.COUNTRY_BANNED, ErrorCodes.FIREWALL_RULE);

  /** Every configuration key, and what it does to the draft. */
  static final KeyRegistry<Draft> KEYS = new KeyRegistry<Draft>()
      .register("gatehouse.mode", (e, n, d, p) -> {
        String v = Values.oneOf(e, p, "enforce", "simulate");
        if (v != null) {
          d.mode = v.equals("enforce") ? Mode.ENFORCE : Mode.SIMULATE;
        }
      })
      .register("gatehouse.on-error", (e, n, d, p) -> {
        String v = Values.oneOf(e, p, "allow", "block");
        if (v != null) {
          d.failMode = v.equals("allow") ? FailMode.ALLOW : FailMode.BLOCK;
        }
      })
      .register("gatehouse.node-id", (e, n, d, p) -> {
        String v = e.value().trim();
        if (v.matches("[A-Za-z0-9][A-Za-z0-9-]{0,31}")) {
          d.nodeId = v;
        } else {
          p.add(e, "'" + e.value() + "' is not a node id: 1 to 32 letters, digits and '-', starting with a letter or digit");
        }
      })
      .register("gatehouse.client-ip.header", (e, n, d, p) -> {
        ClientIpResolver.Header h = ClientIpResolver.Header.fromName(e.value());
        if (h == null) {
          p.add(e, "'" + e.value() + "' is not one of " + ClientIpResolver.headerNames());
        } else {
          d.clientIpHeader = h;
          d.clientIpHeaderEntry = e;
        }
      })
      .register("gatehouse.client-ip.trusted-proxies", (e, n, d, p) -> {
        List<Cidr> list = Values.cidrList(e, p);
        if (list != null) {
          d.trustedProxies = list;
          d.trustedProxiesEntry = e;
        }
      })
      .register("gatehouse.access-rule.ID", (e, n, d, p) -> {
        try {
          AccessRule rule = AccessRule.parse(n.get(0), e.value(), e.location());
          if (rule.target() != AccessRule.Target.IP) {
            p.add(e, rule.target().id() + " rules need geo data, which this version cannot load; use ip rules");
          } else {
            d.accessRules.add(rule);
          }
        } catch (IllegalArgumentException ex) {
          p.add(e, ex.getMessage());
        }
      })
      .register("gatehouse.events.capacity", (e, n, d, p) -> {
        Integer v = Values.integer(e, p, 1, 10_000_000);
        if (v != null) {
          d.eventsCapacity = v;
        }
      })
      .register("gatehouse.page.site-name", (e, n, d, p) -> d.siteName = e.value().trim())
      .register("gatehouse.page.contact", (e, n, d, p) -> d.contact = e.value().trim())
      .register("gatehouse.page.template.CODE", PolicyCompiler::template);

  private final ConfigSource source;
  private final Map<String, String> environment;
  private final Clock clock;

  PolicyCompiler(ConfigSource source, Map<String, String> environment, Clock clock) {
    this.source = source;
    this.environment = environment;
    this.clock = clock;
  }

  Policy compile() throws ConfigException {
    long started = System.nanoTime();
    String text = source.read();
    ConfigProblems problems = new ConfigProblems();
    List<ConfigEntry> entries = PropertiesReader.read(source.name(), text, problems);
    entries = Interpolator.apply(entries, environment, problems);
    Draft draft = new Draft(source);
    for (ConfigEntry entry : entries) {
      KEYS.dispatch(entry, draft, problems);
    }
    if (draft.clientIpHeader != ClientIpResolver.Header.NONE && draft.trustedProxies.isEmpty()) {
      problems.add(draft.clientIpHeaderEntry, "needs gatehouse.client-ip.trusted-proxies: the header is read only from"
          + " trusted proxies, so without any it would always be ignored");
    }
    if (draft.clientIpHeader == ClientIpResolver.Header.NONE && !draft.trustedProxies.isEmpty()) {
      problems.add(draft.trustedProxiesEntry, "has no effect without gatehouse.client-ip.header (X-Forwarded-For,"
          + " Forwarded, ...)");
    }
    problems.throwIfAny();

    AccessRules accessRules = AccessRules.compile(draft.accessRules);
    for (AccessRule[] pair : accessRules.shadowed()) {
      LOG.warn("{}: access rule '{}' ({}) never decides: '{}' ({}) has the same target and wins",
          pair[1].origin(), pair[1].id(), pair[1].text(), pair[0].id(), pair[0].origin());
    }

    List<Stage> stages = new ArrayList<>();
    stages.add(new AccessRulesStage(accessRules));

    Policy policy = new Policy(source, clock.instant(), draft.mode, draft.failMode, draft.nodeId,
        ClientIpResolver.of(draft.clientIpHeader, draft.trustedProxies), accessRules,
        new PageSettings(draft.siteName, draft.contact, draft.templates), draft.eventsCapacity, stages);
    LOG.info("loaded {} in {} ms: {}", source.name(), (System.nanoTime() - started) / 1_000_000, policy.summary());
    return policy;
  }

  private static void template(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    int code;
    try {
      code = Integer.parseInt(names.get(0));
    } catch (NumberFormatException ex) {
      code = -1;
    }
    if (!RENDERED_CODES.contains(code)) {
      p.add(e, "'" + names.get(0) + "' is not an error code Gatehouse renders: 1009, 1012 or 1020");
      return;
    }
    String spec = e.value().trim();
    Path path;
    try {
      path = d.source.resolve(spec.startsWith("file:") ? spec.substring(5) : spec);
    } catch (InvalidPathException ex) {
      p.add(e, "'" + spec + "' is not a file path");
      return;
    }
    String html;
    try {
      html = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException ex) {
      p.add(e, "cannot read template " + path + ": " + ex.getClass().getSimpleName());
      return;
    }
    Matcher m = PLACEHOLDER.matcher(html);
    List<String> unknown = new ArrayList<>();
    while (m.find()) {
      if (!PageSettings.PLACEHOLDERS.contains(m.group(1))) {
        unknown.add(m.group(1));
      }
    }
    if (!unknown.isEmpty()) {
      p.add(e, "template " + path + " uses unknown placeholders " + unknown + "; known: "
          + PageSettings.PLACEHOLDERS.stream().sorted().toList());
      return;
    }
    d.templates.put(code, html);
  }

  /** What the handlers fill in, with the defaults of every key. */
  static final class Draft {
    final ConfigSource source;
    Mode mode = Mode.ENFORCE;
    FailMode failMode = FailMode.ALLOW;
    String nodeId = "";
    ClientIpResolver.Header clientIpHeader = ClientIpResolver.Header.NONE;
    ConfigEntry clientIpHeaderEntry;
    List<Cidr> trustedProxies = List.of();
    ConfigEntry trustedProxiesEntry;
    final List<AccessRule> accessRules = new ArrayList<>();
    int eventsCapacity = 10_000;
    String siteName = "";
    String contact = "";
    final Map<Integer, String> templates = new LinkedHashMap<>();

    Draft(ConfigSource source) {
      this.source = source;
    }
  }
}
