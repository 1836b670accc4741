// The iocp4j dashboard: polls /api/live once a second and draws what it says. Every number shown comes from the
// server; sorting, filtering and paging of connections happen there too, so one poll carries one page of rows.
(function () {
  "use strict";

  const WINDOW_SECONDS = 300;
  const POLL_MILLIS = 1000;
  const view = { sort: "id", dir: "asc", filter: "", page: 0, size: 20 };
  const $ = (id) => document.getElementById(id);
  let lastPoint = 0;
  let polling = false;

  // ---- numbers as people read them ----
  const count = (n) => Math.round(n).toLocaleString("en-US");
  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? Math.round(n) : n.toFixed(1)) + " " + units[i];
  }
  function age(ms) {
    const s = Math.floor(ms / 1000);
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  // ---- charts: uPlot over the last five minutes ----
  const charts = {};
  function makeChart(id, series, format) {
    const element = $(id);
    const data = [[]].concat(series.map(() => []));
    const options = {
      width: element.clientWidth || 500, height: 200,
      // From zero: a rate or a count read against a floating baseline looks like a swing where there is none.
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [
        { stroke: "#7d8b9c", grid: { stroke: "#253040" }, ticks: { stroke: "#253040" } },
        { stroke: "#7d8b9c", grid: { stroke: "#253040" }, ticks: { stroke: "#253040" }, size: 70,
          values: (u, values) => values.map(format) },
      ],
      series: [{}].concat(series.map((s) => ({
        label: s.label, stroke: s.color, width: 2, fill: s.color + "22", dash: s.dash,
        value: (u, v) => (v == null ? "–" : format(v)),
      }))),
    };
    charts[id] = { plot: new uPlot(options, data, element), data: data, keys: series.map((s) => s.key), element };
  }
  function addPoints(history) {
    for (const id in charts) {
      const chart = charts[id];
      for (let i = 0; i < history.t.length; i++) {
        chart.data[0].push(history.t[i]);
        chart.keys.forEach((key, k) => chart.data[k + 1].push(history[key][i]));
      }
      const oldest = (chart.data[0].length ? chart.data[0][chart.data[0].length - 1] : 0) - WINDOW_SECONDS;
      while (chart.data[0].length && chart.data[0][0] < oldest) chart.data.forEach((column) => column.shift());
      chart.plot.setData(chart.data);
      chart.element.dataset.points = chart.data[0].length;
    }
    if (history.t.length) lastPoint = Math.round(history.t[history.t.length - 1] * 1000);
  }
  window.addEventListener("resize", () => {
    for (const id in charts) charts[id].plot.setSize({ width: charts[id].element.clientWidth, height: 200 });
  });

  // ---- the summary ----
  function reasons(element, byReason) {
    element.replaceChildren();
    for (const [reason, n] of Object.entries(byReason)) {
      if (n === 0) continue;
      const span = document.createElement("span");
      span.textContent = reason.toLowerCase().replaceAll("_", " ") + " " + count(n);
      element.appendChild(span);
    }
  }
  const sum = (byReason) => Object.values(byReason).reduce((a, b) => a + b, 0);
  const latest = (history, key) => (history[key].length ? history[key][history[key].length - 1] : null);

  function showStats(stats, history) {
    $("transport").textContent = stats.transport + " · " + stats.ioThreads.length + " I/O thread"
        + (stats.ioThreads.length === 1 ? "" : "s");
    const status = $("status");
    status.textContent = stats.shuttingDown ? "shutting down" : "serving";
    status.className = "pill " + (stats.shuttingDown ? "bad" : "ok");
    $("connections-open").textContent = count(stats.connectionsOpen);
    $("connections-peak").textContent = count(stats.connectionsPeak);
    $("accepted").textContent = count(stats.accepted);
    $("rejected").textContent = count(sum(stats.rejected));
    $("closed").textContent = count(sum(stats.closed));
    reasons($("rejected-reasons"), stats.rejected);
    reasons($("closed-reasons"), stats.closed);
    const rate = (key, id, format) => {
      const value = latest(history, key);
      if (value !== null) $(id).textContent = format(value);
    };
    rate("accepted", "accepted-rate", count);
    rate("bytesIn", "bytes-in-rate", bytes);
    rate("bytesOut", "bytes-out-rate", bytes);
    rate("packetsIn", "packets-in-rate", count);
    rate("packetsOut", "packets-out-rate", count);
    $("migrations").textContent = count(stats.migrations);
    $("receive-buffers").textContent = count(stats.receiveBuffersHeld);
    $("leases").textContent = count(stats.bufferLeasesOutstanding);
    $("handler-errors").textContent = count(stats.handlerErrors);
    $("workers").textContent = stats.jobs.workers === 0 ? "none (handlers on I/O threads)" : count(stats.jobs.workers);
    $("job-queue").textContent = stats.jobs.workers === 0 ? "–"
        : count(stats.jobs.queued) + " / " + count(stats.jobs.capacity);
    fill($("job-queue-bar"), stats.jobs.capacity ? stats.jobs.queued / stats.jobs.capacity : 0);
    showThreads(stats.ioThreads);
    showTransfers(stats.fileTransfers);
  }
  function fill(bar, fraction) {
    bar.style.width = Math.min(100, Math.max(0, fraction * 100)).toFixed(1) + "%";
    bar.classList.toggle("warm", fraction > 0.75);
  }
  function showThreads(threads) {
    const most = Math.max(1, ...threads.map((t) => t.load));
    const box = $("io-threads");
    box.replaceChildren(...threads.map((t) => {
      const row = document.createElement("div");
      row.className = "thread";
      const head = document.createElement("div");
      head.className = "head";
      const name = document.createElement("span");
      name.textContent = "thread " + t.port + " · " + count(t.connections) + " connections";
      const load = document.createElement("span");
      load.className = "muted";
      load.textContent = bytes(t.load) + "/s load";
      head.append(name, load);
      const bar = document.createElement("div");
      bar.className = "bar";
      const f = document.createElement("div");
      f.className = "fill";
      bar.appendChild(f);
      fill(f, t.load / most);
      row.append(head, bar);
      return row;
    }));
  }
  function showTransfers(transfers) {
    const box = $("transfers");
    if (!transfers.length) {
      const none = document.createElement("div");
      none.className = "muted";
      none.textContent = "none under way";
      box.replaceChildren(none);
      return;
    }
    box.replaceChildren(...transfers.map((t) => {
      const row = document.createElement("div");
      row.className = "transfer";
      const head = document.createElement("div");
      head.className = "head";
      const hashing = t.size < 0 && t.hashTotal > 0;
      const done = hashing ? t.hashed : t.done;
      const total = hashing ? t.hashTotal : t.size;
      head.textContent = (t.direction === "in" ? "↓ " : "↑ ") + (t.name || "(hashing)") + " · connection "
          + t.connection + " · " + bytes(done) + (total > 0 ? " of " + bytes(total) : "");
      const bar = document.createElement("div");
      bar.className = "bar";
      const f = document.createElement("div");
      f.className = "fill";
      bar.appendChild(f);
      fill(f, total > 0 ? done / total : 0);
      row.append(head, bar);
      return row;
    }));
  }

  // ---- the connection table ----
  function showConnections(page) {
    view.page = page.page;
    $("table-summary").textContent = "· " + count(page.matched) + (page.matched === page.total ? ""
        : " of " + count(page.total)) + " shown";
    $("page-info").textContent = "page " + (page.page + 1) + " of " + page.pages;
    $("prev").disabled = page.page === 0;
    $("next").disabled = page.page + 1 >= page.pages;
    document.querySelectorAll("th[data-sort]").forEach((th) => {
      th.classList.toggle("sorted", th.dataset.sort === page.sort);
      th.classList.toggle("asc", th.dataset.sort === page.sort && page.dir === "asc");
      th.classList.toggle("desc", th.dataset.sort === page.sort && page.dir === "desc");
    });
    const cell = (text, numeric) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (numeric) td.className = "num";
      return td;
    };
    $("connections").tBodies[0].replaceChildren(...page.rows.map((c) => {
      const tr = document.createElement("tr");
      tr.dataset.id = c.id;
      const actions = document.createElement("td");
      actions.className = "num";
      actions.append(button("disconnect", "disconnect", () => act("/api/disconnect?id=" + c.id,
          "connection " + c.id + " disconnected")),
          button("ban", "ban danger", () => act("/api/ban?disconnect=true&range="
              + encodeURIComponent(c.peer.replace(/:\d+$/, "").replace(/^\[|\]$/g, "")),
              c.peer + " banned")));
      tr.append(cell(c.id), cell(c.peer), cell(age(c.ageMillis)), cell(bytes(c.bytesIn), true),
          cell(bytes(c.bytesOut), true), cell(bytes(c.queued), true), cell(c.ioThread, true),
          cell(bytes(c.load) + "/s", true), cell(c.state), actions);
      return tr;
    }));
  }
  function button(text, className, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.className = className;
    b.dataset.action = text;
    b.addEventListener("click", onClick);
    return b;
  }

  // ---- actions: POST with the token ----
  const tokenInput = $("token");
  tokenInput.value = sessionStorage.getItem("iocp4j-token") || "";
  tokenInput.addEventListener("input", () => sessionStorage.setItem("iocp4j-token", tokenInput.value));
  function message(text, kind) {
    const box = $("action-message");
    box.textContent = text;
    box.className = "message " + (kind || "");
  }
  async function act(path, done) {
    const token = tokenInput.value.trim();
    if (!token) {
      message("enter the token (printed when the server started) to act", "error");
      tokenInput.focus();
      return;
    }
    try {
      const response = await fetch(path, { method: "POST", headers: { Authorization: "Bearer " + token } });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        message(done + (body.disconnected > 0 && path.includes("ban") ? " (" + body.disconnected
            + " disconnected)" : ""), "done");
        poll();
      } else {
        message(response.status + ": " + (body.error || response.statusText), "error");
      }
    } catch (e) {
      message("request failed: " + e, "error");
    }
  }
  $("ban").addEventListener("click", () => {
    const range = $("ban-range").value.trim();
    if (range) act("/api/ban?range=" + encodeURIComponent(range), range + " banned");
  });
  $("disconnect-banned").addEventListener("click", () => act("/api/disconnect-banned", "banned peers disconnected"));

  // ---- the view's controls ----
  document.querySelectorAll("th[data-sort]").forEach((th) => th.addEventListener("click", () => {
    view.dir = view.sort === th.dataset.sort && view.dir === "asc" ? "desc" : "asc";
    view.sort = th.dataset.sort;
    poll();
  }));
  let filterTimer;
  $("filter").addEventListener("input", () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => { view.filter = $("filter").value; view.page = 0; poll(); }, 250);
  });
  $("page-size").addEventListener("change", () => { view.size = +$("page-size").value; view.page = 0; poll(); });
  $("prev").addEventListener("click", () => { view.page = Math.max(0, view.page - 1); poll(); });
  $("next").addEventListener("click", () => { view.page++; poll(); });

  // ---- polling ----
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const query = new URLSearchParams({ since: lastPoint, sort: view.sort, dir: view.dir, filter: view.filter,
        page: view.page, size: view.size });
      const response = await fetch("/api/live?" + query, { cache: "no-store" });
      const live = await response.json();
      showStats(live.stats, live.history);
      addPoints(live.history);
      showConnections(live.connections);
      document.body.dataset.polls = (+document.body.dataset.polls || 0) + 1;
    } catch (e) {
      const status = $("status");
      status.textContent = "unreachable";
      status.className = "pill bad";
    } finally {
      polling = false;
    }
  }

  makeChart("chart-connections", [{ label: "open", key: "open", color: "#4fc3f7" }], count);
  // "out" is dashed: for an echo it lies on "in", and both should show.
  makeChart("chart-bytes", [{ label: "in", key: "bytesIn", color: "#4fc3f7" },
    { label: "out", key: "bytesOut", color: "#ffb74d", dash: [6, 4] }], (v) => bytes(v));
  makeChart("chart-packets", [{ label: "in", key: "packetsIn", color: "#4fc3f7" },
    { label: "out", key: "packetsOut", color: "#ffb74d", dash: [6, 4] }], count);
  makeChart("chart-admissions", [{ label: "accepted", key: "accepted", color: "#66bb6a" },
    { label: "rejected", key: "rejected", color: "#ef5350" }], count);
  poll();
  setInterval(poll, POLL_MILLIS);
})();
