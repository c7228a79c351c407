package io.gatehouse.core.bot;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

  /**
   * The tools, by category, as {@link TextTable} reads them: a tool's name, then the phrases that name it
   * when they are not just the name in lower case.
   */
  private static final String STRONG = """
      # SQL injection
      sqlmap
      Havij
      sqlninja
      bsqlbf
      jSQL Injection: jsql
      Ghauri
      NoSQLMap
      BBQSQL
      sqlsus
      # Web vulnerability scanners
      Nikto
      libwhisker
      Nuclei
      Jaeles
      Acunetix
      Nessus
      OpenVAS
      Qualys: qualys, qualysguard
      Netsparker
      Invicti
      AppScan
      AppSpider
      WebInspect
      Burp Suite: burpcollaborator, burp collaborator, burp suite
      OWASP ZAP: zaproxy, owasp zap, owasp_zap
      Arachni
      w3af
      skipfish
      Wapiti
      N-Stalker: n-stalker, nstalker
      IronWASP
      Detectify
      Tsunami: tsunamisecurityscanner
      OWASP Nettacker: nettacker
      # Positive Technologies' scanner; a crawler of the same name writes "XSpider 0.01"
      XSpider: xspider 7
      Uniscan
      Grendel-Scan
      WebVulnCrawl
      webshag
      AWS Security Agent: securityagent
      Hexometer
      SiteLock: sitelockspider
      Bewica
      YesWeHack
      # Content discovery and fuzzing
      Gobuster
      DirBuster
      DIRB
      dirsearch
      ffuf: ffuf, fuzz faster
      feroxbuster
      Wfuzz
      JBroFuzz
      BFAC
      shortscan
      WebBandit
      # CMS scanners
      WPScan
      WPProbe
      WPRecon
      JoomScan
      droopescan
      CMSmap
      # Injection and inclusion tools
      Commix
      XSStrike
      XSSer
      Dalfox
      fimap
      Kadimus
      LFISuite
      LFImap
      DotDotPwn
      SSTImap
      tplmap
      TInjA
      graphw00f
      graphql-cop
      # Fingerprinting and WAF detection
      WhatWeb
      WhatWaf
      wafw00f
      httprint
      # Port and Internet-wide scanners
      Nmap
      masscan
      ZMap
      ZGrab
      naabu
      fscan
      Censys: censys, censysinspect
      LeakIX: leakix, l9explore, l9tcpid
      Netlab 360: netlab360
      # Exploitation frameworks, brute forcers and mass-exploitation bots
      Metasploit
      Brutus: brutus/aet
      ZmEu
      Jorgee
      Morfeus
      muieblackcat
      SysScan
      Betabot
      # Secret scanners
      TruffleHog
      Nosey Parker: noseyparker
      """;

  /** The tools named with ordinary words, which count only where a User-Agent names its product. */
  private static final String WEAK = """
      # SQL injection
      Pangolin
      # Web vulnerability scanners
      Vega
      Paros
      Grabber
      Xray
      Goby
      # Content discovery and fuzzing
      Katana
      Arjun
      # Injection tools
      Panoptic
      # Brute forcers
      THC Hydra: hydra
      Medusa
      """;

  private static final Set<String> TOOLS = new LinkedHashSet<>();
  private static final PhraseMatcher<Signature> MATCHER = build();

  private ScannerSignatures() {}

  private static PhraseMatcher<Signature> build() {
    PhraseMatcher.Builder<Signature> b = PhraseMatcher.builder(MAX_SCAN);
    add(b, STRONG, false);
    add(b, WEAK, true);
    return b.build();
  }

  private static void add(PhraseMatcher.Builder<Signature> b, String table, boolean weak) {
    TextTable.parse(table).forEach((tool, phrases) -> {
      if (!TOOLS.add(tool)) {
        throw new IllegalStateException("tool listed twice: " + tool);
      }
      Signature signature = new Signature(tool, weak);
      for (String phrase : phrases.isEmpty() ? List.of(tool.toLowerCase(Locale.ROOT)) : phrases) {
        b.add(phrase, signature);
      }
    });
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
