-- wrk script for load.sh: a browser's page load as a trusted proxy (127.0.0.1) forwards it, the same
-- request DecideBenchmark's allowed() decides. The client address rotates over a few addresses that
-- the full policy allows (TEST-NET-1: in no feed, access rule or custom rule), so the filter does its
-- lookups for several clients, not one. The requests are formatted once, in init, so that wrk spends
-- as little as possible of the CPU the server also needs.

local clients = {
  "192.0.2.10", "192.0.2.11", "192.0.2.23", "192.0.2.37",
  "192.0.2.41", "192.0.2.58", "192.0.2.99", "192.0.2.200",
}

local requests = {}
local next = 0

function init(args)
  wrk.method = "GET"
  wrk.path = "/products/123?ref=home"
  local headers = {
    {"Host", "shop.example"},
    {"User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
      .. " Chrome/131.0.0.0 Safari/537.36"},
    {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
    {"Accept-Language", "en-GB,en;q=0.9"},
    {"Accept-Encoding", "gzip, deflate, br, zstd"},
    {"sec-ch-ua", "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""},
    {"sec-ch-ua-mobile", "?0"},
    {"sec-ch-ua-platform", "\"Windows\""},
    {"Sec-Fetch-Dest", "document"},
    {"Sec-Fetch-Mode", "navigate"},
    {"Sec-Fetch-Site", "same-origin"},
    {"Upgrade-Insecure-Requests", "1"},
    {"Cookie", "session=0123456789abcdef; theme=dark"},
    {"X-Forwarded-Proto", "https"},
  }
  for _, h in ipairs(headers) do
    wrk.headers[h[1]] = h[2]
  end
  for i, client in ipairs(clients) do
    wrk.headers["X-Forwarded-For"] = client
    requests[i] = wrk.format()
  end
end

function request()
  next = next % #requests + 1
  return requests[next]
end
