package io.gatehouse.core.bot;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Gatehouse's own list of security scanners and attack tools, written from what the tools are called
 * and the names they put in their User-Agent. Each phrase is matched as whole words, ignoring case (see
 * {@link PhraseMatcher}), so words inside ordinary browser User-Agents never match.
 *
 * <p>A few tools are named with ordinary words that also occur in real User-Agents: {@code Vega} is an
 * Android tablet ({@code ...; Vega Build/FRF91}), {@code Hydra}, {@code Medusa} and {@code Katana} are
 * common product and device names. These are <em>weak</em> signatures: they count only where a User-Agent
 * names its product, at the very start ({@code Vega/1.0}), first inside parentheses
 * ({@code Mozilla/4.0 (Hydra)}) or right after {@code compatible;} ({@code (compatible; Panoptic}).
 *
 * <p>Immutable and thread-safe.
 */
final class ScannerSignatures {

  /** A tool and whether its name is an ordinary word (matched only where a product is named). */
  record Signature(String tool, boolean weak) {}

  /** Only this much of a User-Agent is searched; longer ones already fail as malformed. */
  static final int MAX_SCAN = 2048;

  private static final Set<String> TOOLS = new LinkedHashSet<>();
  private static final PhraseMatcher<Signature> MATCHER = build();

  private ScannerSignatures() {}

  private static PhraseMatcher<Signature> build() {
    PhraseMatcher.Builder<Signature> b = PhraseMatcher.builder(MAX_SCAN);
    // SQL injection
    strong(b, "sqlmap", "sqlmap");
    strong(b, "Havij", "havij");
    strong(b, "sqlninja", "sqlninja");
    strong(b, "bsqlbf", "bsqlbf");
    strong(b, "jSQL Injection", "jsql");
    strong(b, "Ghauri", "ghauri");
    strong(b, "NoSQLMap", "nosqlmap");
    strong(b, "BBQSQL", "bbqsql");
    strong(b, "sqlsus", "sqlsus");
    weak(b, "Pangolin", "pangolin");
    // Web vulnerability scanners
    strong(b, "Nikto", "nikto");
    strong(b, "libwhisker", "libwhisker");
    strong(b, "Nuclei", "nuclei");
    strong(b, "Jaeles", "jaeles");
    strong(b, "Acunetix", "acunetix");
    strong(b, "Nessus", "nessus");
    strong(b, "OpenVAS", "openvas");
    strong(b, "Qualys", "qualys", "qualysguard");
    strong(b, "Netsparker", "netsparker");
    strong(b, "Invicti", "invicti");
    strong(b, "AppScan", "appscan");
    strong(b, "AppSpider", "appspider");
    strong(b, "WebInspect", "webinspect");
    strong(b, "Burp Suite", "burpcollaborator", "burp collaborator", "burp suite");
    strong(b, "OWASP ZAP", "zaproxy", "owasp zap", "owasp_zap");
    strong(b, "Arachni", "arachni");
    strong(b, "w3af", "w3af");
    strong(b, "skipfish", "skipfish");
    strong(b, "Wapiti", "wapiti");
    strong(b, "N-Stalker", "n-stalker", "nstalker");
    strong(b, "IronWASP", "ironwasp");
    strong(b, "Detectify", "detectify");
    strong(b, "Tsunami", "tsunamisecurityscanner");
    strong(b, "OWASP Nettacker", "nettacker");
    strong(b, "XSpider", "xspider 7"); // Positive Technologies; a crawler of the same name writes "XSpider 0.01"
    strong(b, "Uniscan", "uniscan");
    strong(b, "Grendel-Scan", "grendel-scan");
    strong(b, "WebVulnCrawl", "webvulncrawl");
    strong(b, "webshag", "webshag");
    strong(b, "AWS Security Agent", "securityagent");
    strong(b, "Hexometer", "hexometer");
    strong(b, "SiteLock", "sitelockspider");
    strong(b, "Bewica", "bewica");
    strong(b, "YesWeHack", "yeswehack");
    weak(b, "Vega", "vega");
    weak(b, "Paros", "paros");
    weak(b, "Grabber", "grabber");
    weak(b, "Xray", "xray");
    weak(b, "Goby", "goby");
    // Content discovery and fuzzing
    strong(b, "Gobuster", "gobuster");
    strong(b, "DirBuster", "dirbuster");
    strong(b, "DIRB", "dirb");
    strong(b, "dirsearch", "dirsearch");
    strong(b, "ffuf", "ffuf", "fuzz faster");
    strong(b, "feroxbuster", "feroxbuster");
    strong(b, "Wfuzz", "wfuzz");
    strong(b, "JBroFuzz", "jbrofuzz");
    strong(b, "BFAC", "bfac");
    strong(b, "shortscan", "shortscan");
    strong(b, "WebBandit", "webbandit");
    weak(b, "Katana", "katana");
    weak(b, "Arjun", "arjun");
    // CMS scanners
    strong(b, "WPScan", "wpscan");
    strong(b, "WPProbe", "wpprobe");
    strong(b, "WPRecon", "wprecon");
    strong(b, "JoomScan", "joomscan");
    strong(b, "droopescan", "droopescan");
    strong(b, "CMSmap", "cmsmap");
    // Injection and inclusion tools
    strong(b, "Commix", "commix");
    strong(b, "XSStrike", "xsstrike");
    strong(b, "XSSer", "xsser");
    strong(b, "Dalfox", "dalfox");
    strong(b, "fimap", "fimap");
    strong(b, "Kadimus", "kadimus");
    strong(b, "LFISuite", "lfisuite");
    strong(b, "LFImap", "lfimap");
    strong(b, "DotDotPwn", "dotdotpwn");
    strong(b, "SSTImap", "sstimap");
    strong(b, "tplmap", "tplmap");
    strong(b, "TInjA", "tinja");
    strong(b, "graphw00f", "graphw00f");
    strong(b, "graphql-cop", "graphql-cop");
    weak(b, "Panoptic", "panoptic");
    // Fingerprinting and WAF detection
    strong(b, "WhatWeb", "whatweb");
    strong(b, "WhatWaf", "whatwaf");
    strong(b, "wafw00f", "wafw00f");
    strong(b, "httprint", "httprint");
    // Port and Internet-wide scanners
    strong(b, "Nmap", "nmap");
    strong(b, "masscan", "masscan");
    strong(b, "ZMap", "zmap");
    strong(b, "ZGrab", "zgrab");
    strong(b, "naabu", "naabu");
    strong(b, "fscan", "fscan");
    strong(b, "Censys", "censys", "censysinspect");
    strong(b, "LeakIX", "leakix", "l9explore", "l9tcpid");
    strong(b, "Netlab 360", "netlab360");
    // Exploitation frameworks, brute forcers and mass-exploitation bots
    strong(b, "Metasploit", "metasploit");
    strong(b, "Brutus", "brutus/aet");
    weak(b, "THC Hydra", "hydra");
    weak(b, "Medusa", "medusa");
    strong(b, "ZmEu", "zmeu");
    strong(b, "Jorgee", "jorgee");
    strong(b, "Morfeus", "morfeus");
    strong(b, "muieblackcat", "muieblackcat");
    strong(b, "SysScan", "sysscan");
    strong(b, "Betabot", "betabot");
    // Secret scanners
    strong(b, "TruffleHog", "trufflehog");
    strong(b, "Nosey Parker", "noseyparker");
    return b.build();
  }

  private static void strong(PhraseMatcher.Builder<Signature> b, String tool, String... phrases) {
    add(b, new Signature(tool, false), phrases);
  }

  private static void weak(PhraseMatcher.Builder<Signature> b, String tool, String... phrases) {
    add(b, new Signature(tool, true), phrases);
  }

  private static void add(PhraseMatcher.Builder<Signature> b, Signature signature, String... phrases) {
    if (!TOOLS.add(signature.tool())) {
      throw new IllegalStateException("tool listed twice: " + signature.tool());
    }
    for (String phrase : phrases) {
      b.add(phrase, signature);
    }
  }

  /** The names of every tool on the list. */
  static Set<String> tools() {
    return Set.copyOf(TOOLS);
  }

  /** The tool a User-Agent names, or {@code null}. */
  static String find(String userAgent) {
    String[] tool = new String[1];
    MATCHER.scan(userAgent, (text, match) -> {
      if (match.value().weak() && !namesProduct(text, match.start())) {
        return true;
      }
      tool[0] = match.value().tool();
      return false;
    });
    return tool[0];
  }

  /**
   * Whether the word at {@code start} is where a User-Agent names its product: the start of the value,
   * the first thing inside parentheses, or the word after {@code compatible;}.
   */
  static boolean namesProduct(CharSequence text, int start) {
    int k = start - 1;
    while (k >= 0 && text.charAt(k) == ' ') {
      k--;
    }
    if (k < 0 || text.charAt(k) == '(') {
      return true;
    }
    if (text.charAt(k) != ';') {
      return false;
    }
    k--;
    while (k >= 0 && text.charAt(k) == ' ') {
      k--;
    }
    String word = "compatible";
    int from = k - word.length() + 1;
    if (from < 0) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (PhraseMatcher.lower(text.charAt(from + i)) != word.charAt(i)) {
        return false;
      }
    }
    return from == 0 || !PhraseMatcher.isAlnum(text.charAt(from - 1));
  }
}
