// Bulwark compliance console. Plain browser JavaScript, no dependencies, served from the gateway itself.
// Every value from the API is written with textContent, never parsed as HTML: records carry untrusted text.
"use strict";

const TOKEN_KEY = "bulwark-console-token";
const state = { me: null, filters: "", nextBefore: null, selected: null };
const $ = (id) => document.getElementById(id);

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

async function api(path, options) {
  const opts = options || {};
  const headers = { Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY) };
  if (opts.json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch("/console/api" + path, {
    method: opts.method || "GET",
    headers,
    body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined,
  });
  if (response.status === 401) { signOut("Your session ended; sign in again."); throw new Error("signed out"); }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error((body.error && body.error.message) || "Request failed (" + response.status + ")");
  }
  return opts.raw ? response : response.json();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.me = null;
  $("app").hidden = true;
  $("who").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message || "";
}

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
  try {
    state.me = await api("/me");
  } catch (error) {
    signOut("Sign-in failed: the token was not accepted.");
    return;
  }
  $("sign-in").hidden = true;
  $("app").hidden = false;
  $("who").hidden = false;
  const scope = state.me.tenants ? state.me.tenants.join(", ") : "all tenants";
  $("identity").textContent = state.me.subject + " · " + state.me.roles.join(", ") + " · " + scope;
  for (const node of document.querySelectorAll("[data-role]")) {
    node.hidden = !state.me.roles.includes(node.dataset.role);
  }
  const readsRecords = state.me.roles.some((r) => r === "compliance_officer" || r === "auditor");
  document.querySelector('[data-tab="records"]').hidden = !readsRecords;
  showTab(readsRecords ? "records" : "integrity");
  refreshIntegrity();
}

function showTab(name) {
  for (const button of document.querySelectorAll("nav button")) {
    button.classList.toggle("active", button.dataset.tab === name);
  }
  for (const tab of document.querySelectorAll(".tab")) tab.hidden = tab.id !== "tab-" + name;
  const loaders = { records: () => search(false), charts: loadCharts, integrity: refreshIntegrity,
    requests: loadRequests, keys: loadKeys };
  loaders[name]().catch(showError);
}

function showError(error) {
  if (error.message !== "signed out") $("export-status").textContent = error.message;
}

function filterQuery() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData($("search-form")).entries()) {
    if (!value) continue;
    // datetime-local has no zone; the console works in UTC like the ledger.
    params.set(name, name === "since" || name === "until" ? value + ":00Z" : value);
  }
  return params;
}

async function search(older) {
  const params = older ? new URLSearchParams(state.filters) : filterQuery();
  state.filters = params.toString();
  if (older && state.nextBefore) params.set("before_seq", state.nextBefore);
  const page = await api("/records?" + params.toString());
  const body = document.querySelector("#records tbody");
  if (!older) body.replaceChildren();
  for (const record of page.records) body.appendChild(recordRow(record));
  state.nextBefore = page.next_before_seq;
  $("next-page").hidden = !page.next_before_seq;
}

function recordRow(record) {
  const pii = Object.entries(record.pii_counts).map(([kind, n]) => kind + "×" + n).join(" ");
  const row = el("tr", null, { "data-seq": record.seq });
  for (const value of [record.seq, record.created_at.replace("T", " ").slice(0, 19), record.tenant_id,
    record.event_type, record.outcome, record.model, record.key_id, record.actor, pii]) {
    row.appendChild(el("td", value === null ? "" : value));
  }
  row.addEventListener("click", () => openRecord(record.seq).catch(showError));
  return row;
}

async function openRecord(seq) {
  const record = await api("/records/" + seq);
  state.selected = seq;
  $("detail").hidden = false;
  $("detail-seq").textContent = "#" + seq;
  const fields = $("detail-fields");
  fields.replaceChildren();
  for (const [name, value] of Object.entries(record)) {
    fields.appendChild(el("dt", name));
    fields.appendChild(el("dd", typeof value === "object" && value !== null ? JSON.stringify(value) : value));
  }
  $("reveal-status").textContent = record.has_body ? "" : "This record has no stored content.";
  $("revealed-body").hidden = true;
  $("revealed-body").textContent = "";
}

async function reveal(seq, reason, requestId) {
  const result = await api("/records/" + seq + "/reveal", {
    method: "POST", json: { reason, request_id: requestId || null } });
  if (result.status === "pending_approval") {
    $("reveal-status").textContent = "A second officer must approve this reveal (request " +
      result.request_id + "); reveal again once it is approved.";
    return;
  }
  $("reveal-status").textContent = "Revealed; logged as audit record #" + result.audit_seq + ".";
  $("revealed-body").textContent = JSON.stringify(result.body, null, 2);
  $("revealed-body").hidden = false;
}

async function exportRecords(format) {
  const params = filterQuery();
  params.set("format", format);
  const response = await api("/export?" + params.toString(), { raw: true });
  const blob = await response.blob();
  const manifest = response.headers.get("X-Bulwark-Manifest") || "";
  const payload = JSON.parse(atob(manifest.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  const link = el("a", null, { href: URL.createObjectURL(blob),
    download: "bulwark-audit-" + payload.export_id + "." + format });
  document.body.appendChild(link);
  link.click();
  link.remove();
  $("export-status").textContent = "Exported " + payload.records + " records (" + format +
    "), sha256 " + payload.sha256 + ", signed manifest, logged as audit record #" + payload.audit_seq + ".";
}

async function refreshIntegrity() {
  const status = await api("/integrity");
  const badge = $("integrity-badge");
  badge.textContent = "integrity: " + status.status;
  badge.className = "badge " + status.status;
  const fields = $("integrity-fields");
  fields.replaceChildren();
  const rows = {
    "Status": status.status,
    "Chain head": "#" + status.head_seq,
    "Last checkpoint": status.last_checkpoint ? "#" + status.last_checkpoint.seq + " at " +
      status.last_checkpoint.time + (status.last_checkpoint.signature_valid ? " (signature valid)" :
      " (SIGNATURE INVALID)") : "none yet",
    "Last verify run": status.last_verify ? (status.last_verify.ok ? "OK" : "FAULT") + " at " +
      status.last_verify.at + " by " + status.last_verify.actor + " " +
      JSON.stringify(status.last_verify.detail) : "never",
  };
  for (const [name, value] of Object.entries(rows)) {
    fields.appendChild(el("dt", name));
    fields.appendChild(el("dd", value));
  }
}

async function loadCharts() {
  const stats = await api("/stats");
  const sum = (rows) => rows.reduce((acc, row) => {
    const key = row.day + " " + row.tenant_id;
    acc[key] = (acc[key] || 0) + row.count;
    return acc;
  }, {});
  barChart($("chart-requests"), sum(stats.requests));
  barChart($("chart-pii"), stats.pii_by_type);
  barChart($("chart-blocked"), sum(stats.blocked));
}

function barChart(container, counts) {
  const ns = "http://www.w3.org/2000/svg";
  const entries = Object.entries(counts);
  container.replaceChildren();
  if (!entries.length) { container.appendChild(el("p", "No data in the last 14 days.", { class: "note" })); return; }
  const max = Math.max(...entries.map(([, n]) => n));
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "640");
  svg.setAttribute("height", String(entries.length * 22 + 4));
  svg.setAttribute("role", "img");
  entries.forEach(([label, n], i) => {
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", "0");
    text.setAttribute("y", String(i * 22 + 15));
    text.textContent = label;
    const bar = document.createElementNS(ns, "rect");
    bar.setAttribute("x", "220");
    bar.setAttribute("y", String(i * 22 + 3));
    bar.setAttribute("height", "16");
    bar.setAttribute("width", String(Math.max(2, (n / max) * 360)));
    bar.setAttribute("fill", "#1f5fa8");
    const value = document.createElementNS(ns, "text");
    value.setAttribute("x", String(226 + (n / max) * 360));
    value.setAttribute("y", String(i * 22 + 15));
    value.textContent = String(n);
    svg.append(text, bar, value);
  });
  container.appendChild(svg);
}

async function loadRequests() {
  const requests = await api("/reveal-requests");
  const body = document.querySelector("#reveal-requests tbody");
  body.replaceChildren();
  for (const request of requests) {
    const row = el("tr");
    for (const value of [request.id, request.record_seq, request.tenant_id, request.requested_by,
      request.reason, request.status]) row.appendChild(el("td", value));
    const cell = el("td");
    if (request.status === "pending") {
      const approve = el("button", "Approve", { type: "button" });
      approve.addEventListener("click", () => api("/reveal-requests/" + request.id + "/approve",
        { method: "POST" }).then(loadRequests).catch(showError));
      cell.appendChild(approve);
    }
    row.appendChild(cell);
    body.appendChild(row);
  }
}

async function loadKeys() {
  const keys = await api("/keys");
  const body = document.querySelector("#keys tbody");
  body.replaceChildren();
  for (const key of keys) {
    const row = el("tr");
    for (const value of [key.id, key.tenant_id, key.name, key.scopes.join(" "), key.created_at.slice(0, 16),
      key.revoked_at ? "revoked" : "active"]) row.appendChild(el("td", value));
    const cell = el("td");
    if (!key.revoked_at) {
      const revoke = el("button", "Revoke", { type: "button" });
      revoke.addEventListener("click", () => api("/keys/" + key.id + "/revoke", { method: "POST" })
        .then(loadKeys).catch(showError));
      cell.appendChild(revoke);
    }
    row.appendChild(cell);
    body.appendChild(row);
  }
}

async function createKey(event) {
  event.preventDefault();
  const form = new FormData($("key-form"));
  const issued = await api("/keys", { method: "POST", json: {
    tenant: form.get("tenant"), name: form.get("name") || "", admin: form.get("admin") === "on",
    expires: form.get("expires") || null } });
  $("new-key").textContent = "New key (shown once): " + issued.key;
  await loadKeys();
}

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in-form").addEventListener("submit", (event) => { event.preventDefault(); signIn($("token").value); });
  $("sign-out").addEventListener("click", () => signOut(""));
  for (const button of document.querySelectorAll("nav button")) {
    button.addEventListener("click", () => showTab(button.dataset.tab));
  }
  $("search-form").addEventListener("submit", (event) => { event.preventDefault(); search(false).catch(showError); });
  $("next-page").addEventListener("click", () => search(true).catch(showError));
  $("export-jsonl").addEventListener("click", () => exportRecords("jsonl").catch(showError));
  $("export-csv").addEventListener("click", () => exportRecords("csv").catch(showError));
  $("reveal-form").addEventListener("submit", (event) => {
    event.preventDefault();
    reveal(state.selected, $("reveal-reason").value).catch((error) => {
      $("reveal-status").textContent = error.message;
    });
  });
  $("verify-now").addEventListener("click", () => api("/integrity/verify", { method: "POST" })
    .then(refreshIntegrity).catch(showError));
  $("key-form").addEventListener("submit", (event) => createKey(event).catch(showError));
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved);
});
