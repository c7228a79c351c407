(function () {
  "use strict";
  var base = document.body.getAttribute("data-admin");
  var KEY = "gatehouse.token";
  var COLORS = {block: "#c0392b", challenge: "#d68910", challenge_failed: "#9a5b00", challenge_solved: "#2f6f4f",
    log: "#2e6fb0", allow: "#6e7781"};
  var range = "1h";
  var PAGE = 50;
  var events = [], page = 0, timer = null, rules = [];
  var $ = function (id) { return document.getElementById(id); };

  // Builds elements; text is always set as text, never parsed as markup.
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") { e.textContent = attrs[k]; }
        else if (k === "cls") { e.className = attrs[k]; }
        else { e.setAttribute(k, attrs[k]); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) { continue; }
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; }

  function token() { return sessionStorage.getItem(KEY); }

  function api(path, options) {
    options = options || {};
    var headers = {"Authorization": "Bearer " + token(), "Accept": "application/json"};
    if (options.body) { headers["Content-Type"] = "application/json"; }
    return fetch(base + path, {method: options.method || "GET", headers: headers, body: options.body,
      credentials: "omit", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { signOut("The token was not accepted."); throw new Error("unauthorised"); }
      if (r.status === 204) { return {}; }
      return r.json().then(function (body) {
        if (!r.ok) { var e = new Error(body.error || ("HTTP " + r.status)); e.body = body; throw e; }
        return body;
      });
    });
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    $("app").hidden = true;
    $("signout").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("status").textContent = "Security events";
  }

  function signIn() {
    var t = $("token").value.trim();
    if (!t) { $("login-error").textContent = "Enter the token."; return; }
    sessionStorage.setItem(KEY, t);
    $("token").value = "";
    start();
  }

  function start() {
    $("login").hidden = true;
    $("app").hidden = false;
    $("signout").hidden = false;
    refresh();
  }

  function refresh() {
    api("/status").then(renderStatus).catch(function () {});
    api("/stats?since=" + range).then(renderStats).catch(function () {});
    loadEvents();
    loadRules();
  }

  function renderStatus(s) {
    var c = s.cluster || {state: "off"};
    var cluster = c.state === "off" ? "" : " · cluster " + c.name + " " + c.state + " (node " + c.node_id + ")";
    $("status").textContent = s.summary + " · " + s.configuration + " · loaded " + s.loaded_at.replace("T", " ")
      .replace(/\..*$/, "") + " UTC · " + s.version + cluster;
    // Without geo data every event says XX: no column for it, and no AS table.
    document.body.classList.toggle("no-geo", s.geo === "none");
    $("asn-card").hidden = !/ASN |iptoasn/.test(s.geo);
  }

  /** "2026-12-01 11:18:37.955" in UTC, and the same moment in the browser's time zone. */
  function utc(iso) { return iso.replace("T", " ").replace("Z", ""); }
  function local(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleString(undefined, {hour12: false}) + " local";
  }

  function renderStats(s) {
    var now = new Date();
    $("updated").textContent = "Updated " + now.toISOString().substring(11, 19) + " UTC (" + now.toLocaleTimeString(undefined,
      {hour12: false}) + " local) · " + s.total + " events"
      + (s.scope === "cluster" ? " in the cluster" : "") + (s.note ? " · " + s.note : "");
    drawChart(s);
    fillCounts($("by-action"), s.by_action);
    fillCounts($("by-source"), s.by_source);
    fillTop($("top-ips"), s.top_ips, function (v) { $("filter-ip").value = v; loadEvents(); });
    fillTop($("top-asns"), s.top_asns, null);
    fillTop($("top-paths"), s.top_paths, null);
  }

  function fillCounts(list, counts) {
    clear(list);
    var keys = Object.keys(counts || {});
    if (!keys.length) { list.appendChild(el("li", {cls: "muted", text: "none"})); }
    keys.sort(function (a, b) { return counts[b] - counts[a]; }).forEach(function (k) {
      list.appendChild(el("li", null, el("span", {cls: "badge a-" + k, text: k}), el("span", {text: String(counts[k])})));
    });
  }

  function fillTop(body, rows, onPick) {
    clear(body);
    if (!rows || !rows.length) { body.appendChild(el("tr", null, el("td", {cls: "muted", text: "none"}))); return; }
    rows.forEach(function (r) {
      var cell = el("td", {cls: "mono"});
      if (onPick) {
        var a = el("a", {cls: "link", text: r.value, title: "Show events from this address"});
        a.addEventListener("click", function () { onPick(r.value); });
        cell.appendChild(a);
      } else {
        cell.textContent = r.value;
      }
      body.appendChild(el("tr", null, cell, el("td", {text: String(r.count), style: "text-align:right"})));
    });
  }

  function drawChart(s) {
    var NS = "http://www.w3.org/2000/svg";
    var w = 640, h = 180, pad = 24;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("width", "100%");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Events over time");
    var max = 1;
    s.buckets.forEach(function (b) {
      var t = 0; Object.keys(b.by_action).forEach(function (k) { t += b.by_action[k]; }); max = Math.max(max, t);
    });
    var n = Math.max(1, s.buckets.length);
    var bw = (w - pad) / n;
    var axis = document.createElementNS(NS, "line");
    axis.setAttribute("x1", pad); axis.setAttribute("x2", w); axis.setAttribute("y1", h - pad); axis.setAttribute("y2", h - pad);
    axis.setAttribute("stroke", "#d8dee4");
    svg.appendChild(axis);
    var label = document.createElementNS(NS, "text");
    label.setAttribute("x", 0); label.setAttribute("y", 12); label.setAttribute("font-size", "10"); label.setAttribute("fill", "#57606a");
    label.textContent = String(max);
    svg.appendChild(label);
    s.buckets.forEach(function (b, i) {
      var y = h - pad;
      Object.keys(COLORS).forEach(function (k) {
        var c = b.by_action[k] || 0;
        if (!c) { return; }
        var bh = (h - 2 * pad) * c / max;
        var r = document.createElementNS(NS, "rect");
        r.setAttribute("x", pad + i * bw + 1); r.setAttribute("y", y - bh);
        r.setAttribute("width", Math.max(1, bw - 2)); r.setAttribute("height", bh);
        r.setAttribute("fill", COLORS[k]);
        var tip = document.createElementNS(NS, "title");
        tip.textContent = b.start.substring(11, 16) + " UTC: " + c + " " + k;
        r.appendChild(tip);
        svg.appendChild(r);
        y -= bh;
      });
    });
    [0, n - 1].forEach(function (i) {
      if (!s.buckets[i]) { return; }
      var t = document.createElementNS(NS, "text");
      t.setAttribute("x", i === 0 ? pad : w - 40); t.setAttribute("y", h - 6); t.setAttribute("font-size", "10");
      t.setAttribute("fill", "#57606a");
      t.textContent = s.buckets[i].start.substring(11, 16);
      svg.appendChild(t);
    });
    clear($("chart")).appendChild(svg);
    var legend = clear($("legend"));
    Object.keys(COLORS).forEach(function (k) {
      var sp = el("span", {text: k}); sp.style.setProperty("--c", COLORS[k]); legend.appendChild(sp);
    });
  }

  function loadEvents() {
    var q = [];
    var ip = $("filter-ip").value.trim(), ray = $("filter-ray").value.trim();
    if (ip) { q.push("ip=" + encodeURIComponent(ip)); }
    if (ray) { q.push("ray=" + encodeURIComponent(ray)); }
    if ($("filter-action").value) { q.push("action=" + encodeURIComponent($("filter-action").value)); }
    if ($("filter-source").value) { q.push("source=" + encodeURIComponent($("filter-source").value)); }
    q.push("since=" + range);
    q.push("limit=1000");
    api("/events?" + q.join("&")).then(function (r) { events = r.events; page = 0; renderEvents(); }).catch(function (e) {
      $("events-note").textContent = e.message; $("events-note").className = "error";
    });
  }

  function renderEvents() {
    var body = clear(document.querySelector("#events-table tbody"));
    var pages = Math.max(1, Math.ceil(events.length / PAGE));
    page = Math.min(page, pages - 1);
    var shown = events.slice(page * PAGE, page * PAGE + PAGE);
    $("events-note").className = "muted";
    $("events-note").textContent = events.length ? "Events " + (page * PAGE + 1) + "–" + (page * PAGE + shown.length)
      + " of " + events.length + (events.length >= 1000 ? "+" : "") + ", newest first (page " + (page + 1) + " of "
      + pages + "). Select one for details." : "No events match.";
    $("newer").disabled = page === 0;
    $("older").disabled = page >= pages - 1;
    shown.forEach(function (e) {
      var row = el("tr", {cls: "event", "data-ray": e.ray_id},
        el("td", {cls: "mono"}, utc(e.time), el("span", {cls: "local", text: local(e.time)})),
        el("td", null, el("span", {cls: "badge a-" + e.action, text: e.action})),
        el("td", {text: e.source}),
        el("td", {text: e.rule_id}),
        el("td", {cls: "mono", text: e.client_ip}),
        el("td", {cls: "geo", text: (e.country || "XX") + (e.asn ? " · AS" + e.asn : "")}),
        el("td", {cls: "mono", text: e.path}),
        el("td", {text: String(e.threat_score), title: "visitor " + e.visitor_score + ", address "
          + e.address_score}),
        el("td", {text: e.shared_ip ? "shared (" + e.shared_ip_how + ")" : ""}));
      var details = null;
      row.addEventListener("click", function () {
        if (details) { details.remove(); details = null; return; }
        details = el("tr", {cls: "details"}, el("td", {colspan: "9"}, eventDetails(e)));
        row.after(details);
      });
      body.appendChild(row);
    });
  }

  function eventDetails(e) {
    var box = el("div");
    var dl = el("dl", {cls: "kv"});
    Object.keys(e).forEach(function (k) {
      dl.appendChild(el("dt", {text: k}));
      dl.appendChild(el("dd", {cls: "mono", text: String(e[k])}));
    });
    box.appendChild(dl);
    if (e.client_ip && e.client_ip !== "unknown") {
      var note = el("input", {cls: "allow-note", size: "36", placeholder: "Note, e.g. office egress"});
      var result = el("span", {cls: "muted"});
      var button = el("button", {cls: "primary allow-ip", text: "Allow this IP"});
      button.addEventListener("click", function (ev) {
        ev.stopPropagation();
        button.disabled = true;
        api("/access-rules", {method: "POST", body: JSON.stringify({action: "allow", target: "ip",
          value: e.client_ip, notes: note.value || ("allowed from the dashboard after Ray ID " + e.ray_id)})})
          .then(function (r) {
            result.className = "ok allow-result";
            result.textContent = "Allowed: rule " + r.id + " (allow ip " + r.value + ") is in force.";
          }).catch(function (err) {
            button.disabled = false;
            result.className = "error allow-result";
            result.textContent = "Not allowed: " + err.message + (err.body && err.body.problems ? " " + err.body.problems.join("; ") : "");
          });
      });
      note.addEventListener("click", function (ev) { ev.stopPropagation(); });
      box.appendChild(el("div", {cls: "form"}, el("label", null, "Note", note), button, result));
      box.appendChild(quickActions(e));
    }
    return box;
  }

  /** The /24 (IPv4) or /64 (IPv6) network around an address. */
  function networkOf(ip) {
    if (ip.indexOf(":") < 0) {
      var o = ip.split(".");
      return o.length === 4 ? o[0] + "." + o[1] + "." + o[2] + ".0/24" : null;
    }
    var halves = ip.split("::");
    var head = halves[0] ? halves[0].split(":") : [];
    var tail = halves.length > 1 && halves[1] ? halves[1].split(":") : [];
    var groups = head.concat(new Array(Math.max(0, 8 - head.length - tail.length)).fill("0"), tail);
    return groups.length === 8 ? groups.slice(0, 4).map(function (g) { return parseInt(g, 16).toString(16); })
      .join(":") + "::/64" : null;
  }

  /** Block, challenge or allow the event's address, network, AS or country: an access rule in the managed file. */
  function quickActions(e) {
    var targets = [["ip", e.client_ip, "this address " + e.client_ip]];
    var net = networkOf(e.client_ip);
    if (net) { targets.push(["ip", net, "its network " + net]); }
    if (e.asn) { targets.push(["asn", "AS" + e.asn, "its AS, AS" + e.asn + (e.as_organization ? " " + e.as_organization : "")]); }
    if (e.country && e.country !== "XX") { targets.push(["country", e.country, "its country, " + e.country]); }
    var action = el("select", {cls: "quick-action"}, el("option", {text: "block"}), el("option", {text: "challenge"}),
      el("option", {text: "allow"}));
    var target = el("select", {cls: "quick-target"});
    targets.forEach(function (t, i) { target.appendChild(el("option", {value: String(i), text: t[2]})); });
    var note = el("input", {cls: "quick-note", size: "30", placeholder: "Note"});
    var button = el("button", {cls: "primary quick-add", text: "Add rule"});
    var result = el("span", {cls: "muted"});
    [action, target, note].forEach(function (c) { c.addEventListener("click", function (ev) { ev.stopPropagation(); }); });
    button.addEventListener("click", function (ev) {
      ev.stopPropagation();
      var t = targets[Number(target.value)];
      button.disabled = true;
      api("/access-rules", {method: "POST", body: JSON.stringify({action: action.value, target: t[0], value: t[1],
        notes: note.value || (action.value + " from the dashboard after Ray ID " + e.ray_id)})}).then(function (r) {
        result.className = "ok quick-result";
        result.textContent = "Added: rule " + r.id + " (" + r.action + " " + r.target + " " + r.value + ") is in force.";
        button.disabled = false;
        loadRules();
      }).catch(function (err) {
        button.disabled = false;
        result.className = "error quick-result";
        result.textContent = "Not added: " + err.message + (err.body && err.body.problems ? " " + err.body.problems.join("; ") : "");
      });
    });
    return el("div", {cls: "quick"}, el("label", null, "Rule", action), el("label", null, "for", target),
      el("label", null, "Note", note), button, result);
  }

  function loadRules() {
    api("/access-rules").then(function (r) { rules = r.rules; renderRules(); }).catch(function () {});
  }

  function renderRules() {
    var q = $("rules-search").value.trim().toLowerCase();
    var body = clear(document.querySelector("#rules-table tbody"));
    var shown = rules.filter(function (r) {
      return !q || [r.id, r.action, r.target, r.value, r.notes, r.origin].join(" ").toLowerCase().indexOf(q) >= 0;
    });
    $("rules-note").textContent = shown.length + " of " + rules.length + " rules"
      + (rules.some(function (r) { return !r.managed; }) ? "; rules from the properties file are changed there" : "");
    shown.forEach(function (r) {
      var del = null;
      if (r.managed) {
        del = el("button", {cls: "rule-delete", text: "Delete"});
        del.addEventListener("click", function () {
          if (del.getAttribute("data-armed") !== "yes") {
            del.setAttribute("data-armed", "yes");
            del.textContent = "Delete " + r.id + "?";
            return;
          }
          del.disabled = true;
          api("/access-rules/" + encodeURIComponent(r.id), {method: "DELETE"}).then(loadRules).catch(function (err) {
            del.disabled = false;
            $("rules-note").textContent = "Not deleted: " + err.message;
          });
        });
      }
      body.appendChild(el("tr", {cls: "rule", "data-id": r.id}, el("td", {cls: "mono", text: r.id}),
        el("td", null, el("span", {cls: "badge a-" + r.action, text: r.action})), el("td", {text: r.target}),
        el("td", {cls: "mono", text: r.value}), el("td", {text: r.notes || ""}),
        el("td", {cls: "mono", text: r.origin}), el("td", null, del)));
    });
  }

  /** Downloads what the filters matched (every page), as JSON or CSV. */
  function exportEvents(kind) {
    var text, type;
    if (kind === "json") {
      text = JSON.stringify({events: events}, null, 2);
      type = "application/json";
    } else {
      var keys = [];
      events.forEach(function (e) { Object.keys(e).forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } }); });
      var cell = function (v) {
        var t = v == null ? "" : String(v);
        // A leading =, +, - or @ would be a formula in a spreadsheet: request text must stay text.
        if (/^[=+\-@]/.test(t)) { t = "'" + t; }
        return /[",\r\n]/.test(t) ? "\"" + t.replace(/"/g, "\"\"") + "\"" : t;
      };
      text = [keys.join(",")].concat(events.map(function (e) {
        return keys.map(function (k) { return cell(e[k]); }).join(",");
      })).join("\r\n") + "\r\n";
      type = "text/csv";
    }
    var a = el("a", {download: "gatehouse-events-" + new Date().toISOString().replace(/[:.]/g, "-") + "." + kind});
    a.href = URL.createObjectURL(new Blob([text], {type: type}));
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function lookupRay() {
    var ray = $("ray-input").value.trim();
    var out = clear($("ray-result"));
    if (!ray) { return; }
    api("/events/" + encodeURIComponent(ray)).then(function (e) {
      out.appendChild(el("p", null, el("span", {cls: "badge a-" + e.action, text: e.action}), " ",
        el("strong", {text: e.source + (e.rule_id ? " · " + e.rule_id : "")}), " — ", e.description));
      out.appendChild(eventDetails(e));
    }).catch(function (err) {
      out.appendChild(el("p", {cls: "error", text: err.message}));
    });
  }

  function explain() {
    var q = ["ip=" + encodeURIComponent($("explain-ip").value.trim()),
      "method=" + encodeURIComponent($("explain-method").value.trim() || "GET"),
      "path=" + encodeURIComponent($("explain-path").value.trim() || "/")];
    if ($("explain-host").value.trim()) { q.push("host=" + encodeURIComponent($("explain-host").value.trim())); }
    if ($("explain-ua").value.trim()) { q.push("ua=" + encodeURIComponent($("explain-ua").value.trim())); }
    $("explain-headers").value.split("\n").forEach(function (line) {
      if (line.trim()) { q.push("header=" + encodeURIComponent(line.trim())); }
    });
    var out = clear($("explain-result"));
    api("/explain?" + q.join("&")).then(function (x) {
      var d = x.decision;
      out.appendChild(el("p", {cls: "verdict"}, el("span", {cls: "badge a-" + d.action, text: d.action}), " ",
        el("strong", {text: d.source + (d.rule_id ? " · " + d.rule_id : "")}),
        d.description ? " — " + d.description : "", d.error_code ? " (error " + d.error_code + ")" : ""));
      var dl = el("dl", {cls: "kv"});
      [["client IP", x.client_ip + " (" + x.client_ip_derivation + ")"], ["AS", x.asn ? "AS" + x.asn + " " +
        x.as_organization : "unknown"], ["country", x.country + " (" + x.continent + ")"], ["threat score",
        x.threat_score + (x.threat_sources.length ? " — " + x.threat_sources.join(", ") : "")],
        ["visitor's own score", String(x.visitor_score)],
        ["address's score", x.address_score + " (evidence of several visitors only)"],
        ["shared address", x.shared_ip ? "yes, " + x.shared_ip_how : "no"]].forEach(function (p) {
        dl.appendChild(el("dt", {text: p[0]})); dl.appendChild(el("dd", {text: p[1]}));
      });
      Object.keys(x.settings).forEach(function (k) {
        dl.appendChild(el("dt", {text: k})); dl.appendChild(el("dd", {text: x.settings[k]}));
      });
      out.appendChild(dl);
      x.phases.forEach(function (p) {
        var hit = p.outcome === "block" || p.outcome === "challenge";
        var box = el("div", {cls: "phase" + (hit ? " hit" : p.outcome === "allow" ? " pass" : "")},
          el("strong", {text: p.phase}), " ", el("span", {cls: "muted", text: p.outcome}));
        p.details.forEach(function (line) { box.appendChild(el("div", {text: line})); });
        out.appendChild(box);
      });
    }).catch(function (err) { out.appendChild(el("p", {cls: "error", text: err.message})); });
  }

  // A form, so browsers and password managers treat the token as the secret it is; nothing is posted.
  $("login-form").addEventListener("submit", function (e) { e.preventDefault(); signIn(); });
  $("newer").addEventListener("click", function () { page--; renderEvents(); });
  $("older").addEventListener("click", function () { page++; renderEvents(); });
  $("export-json").addEventListener("click", function () { exportEvents("json"); });
  $("export-csv").addEventListener("click", function () { exportEvents("csv"); });
  $("rules-search").addEventListener("input", renderRules);
  $("auto-refresh").addEventListener("change", function () {
    if (timer) { clearInterval(timer); timer = null; }
    if ($("auto-refresh").checked) { timer = setInterval(function () { if (token()) { refresh(); } }, 30000); }
  });
  $("signout").addEventListener("click", function () { signOut(""); });
  $("refresh").addEventListener("click", refresh);
  $("apply-filters").addEventListener("click", loadEvents);
  $("clear-filters").addEventListener("click", function () {
    ["filter-ip", "filter-ray", "filter-action", "filter-source"].forEach(function (id) { $(id).value = ""; });
    loadEvents();
  });
  $("ray-lookup").addEventListener("click", lookupRay);
  $("ray-input").addEventListener("keydown", function (e) { if (e.key === "Enter") { lookupRay(); } });
  $("explain-run").addEventListener("click", explain);
  Array.prototype.forEach.call(document.querySelectorAll("button.seg"), function (b) {
    b.addEventListener("click", function () {
      range = b.getAttribute("data-range");
      Array.prototype.forEach.call(document.querySelectorAll("button.seg"), function (o) {
        o.setAttribute("aria-pressed", o === b ? "true" : "false");
      });
      refresh();
    });
  });
  if (token()) { start(); }
})();
