/**
 * Browser Integrity Check and verified crawlers.
 *
 * <p>{@link io.gatehouse.core.bot.BrowserIntegrityCheck} runs named heuristics over a request's
 * User-Agent and headers; {@link io.gatehouse.core.bot.CrawlerVerifier} says, without blocking, whether a
 * request claiming to be a known crawler ({@code KnownCrawlers}) comes from it, by the operator's
 * published ranges ({@code PublishedRanges}, loaded through {@code CrawlerVerifier.loadRanges}) or
 * forward-confirmed reverse DNS through a {@link io.gatehouse.core.bot.CrawlerVerifier.DnsResolver}. The engine asks the
 * verifier first and hands its {@link io.gatehouse.core.bot.CrawlerVerifier.Status} to the check.
 *
 * <h2>Where things are</h2>
 * <ul>
 *   <li>The check: {@code BrowserIntegrityCheck} returns a
 *       {@link io.gatehouse.core.bot.BrowserIntegrityCheck.Result} of
 *       {@link io.gatehouse.core.bot.BrowserIntegrityCheck.Result.Finding}s. {@code UserAgents} holds
 *       the scans of the User-Agent (malformed values, scripting clients, headless browsers, browser
 *       claims), {@code ScannerSignatures} the security-tool list, {@code PhraseMatcher} the whole-word
 *       matcher they share, and {@code TextTable} the reader of the lists they are written in.
 *   <li>Crawlers: {@code CrawlerVerifier} is the entry, with its builder, its {@code Status}, and the
 *       built-in crawlers' configuration ids ({@code crawlerIds}, {@code crawlerNamed}); it answers from
 *       published ranges itself. Its package-private parts: {@code KnownCrawlers} is the built-in table
 *       of {@code Crawler}s, {@code PublishedRanges} reads ranges files, {@code CrawlerClaims} reads which
 *       {@code Crawler} a User-Agent claims, {@code CrawlerHostNames} says which reverse DNS names belong
 *       to which crawler, {@code ForwardConfirmedDns} asks DNS about one address, and
 *       {@code DnsVerifications} does that on background threads with a bounded cache, a bounded queue
 *       and a deadline per lookup. {@code JndiDnsResolver} is the default resolver.
 * </ul>
 *
 * <p>Everything on the request path is bounded, because every input is the client's: no regular
 * expressions over header values, scans of at most the first 2048 characters, caches with a maximum size,
 * and DNS only off the request thread. The verifier's cache is timed by an injected ticker.
 *
 * <h2>Why real browsers never fail the failing heuristics</h2>
 * <ul>
 *   <li>{@code missing_user_agent}: every browser sends a User-Agent on every request.
 *   <li>{@code malformed_user_agent}: browsers send short printable values. Only C0 control characters
 *       (tab excepted) and DEL count, never bytes 0x80-0x9f, which honest UTF-8 app names produce when a
 *       container reads headers as ISO-8859-1. The length limit, 1024, is twice the longest value in
 *       large real corpora. A counterfeit {@code Mozilla} (one edit away, such as {@code Mozlila}), a
 *       {@code Mozilla/} version that is not a number ({@code Mozilla/5.g}), a {@code Mozilla/4.0} (or
 *       older) claiming Chrome or Firefox (both have always sent {@code Mozilla/5.0}), and the header's
 *       own name as its value are written by tools, not browsers. {@code Mozilla/5.0(} without a space
 *       is <em>not</em> flagged: some embedded browsers send it.
 *   <li>{@code scanner_signature}: tool names match as whole words only, and the few tool names that are
 *       ordinary words (Vega, Hydra, Medusa, Katana, ...) only where a User-Agent names its product, so a
 *       device called "Vega" in a browser's User-Agent does not match.
 *   <li>{@code browser_header_mismatch}: a value claiming Chrome, Firefox, Safari, Edge or Opera on a GET
 *       or HEAD without any {@code Accept} header. Browsers send {@code Accept} on every such request,
 *       and fetch() and XMLHttpRequest add {@code Accept: *}{@code /*} when a page sets none, so a page
 *       cannot remove it. WebSocket handshakes (which carry {@code Upgrade}), range requests (download
 *       resumption, media), other methods, and clients that call themselves robots or tools are not
 *       judged. Headers that browsers send only
 *       sometimes (Accept-Language, Accept-Encoding, which proxies strip; Sec-Fetch-* and client hints,
 *       sent only over HTTPS) are deliberately not required.
 *   <li>{@code fake_search_engine_bot}: only a DNS answer that disproves the claim fails a request; a
 *       browser never claims to be a crawler.
 *   <li>{@code scripting_client}: fails only with {@code flagScriptingClients}, and matches HTTP
 *       libraries' product tokens, which browsers do not carry.
 * </ul>
 * {@code headless_browser} and {@code unverified_crawler} are signals only.
 */
package io.gatehouse.core.bot;
