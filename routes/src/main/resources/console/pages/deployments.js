// Deployments: health, in-flight requests, latency and the circuit breakers (GET /v1/deployments), live.
import { get } from "../api.js";
import { clear, h, ms, num, table } from "../dom.js";

export async function render(page, parts, ctx) {
  const body = h("div", { id: "deployments-body" });
  const live = h("input", { type: "checkbox", id: "live", checked: true });
  page.append(h("div", { class: "page-head" }, h("h1", {}, "Deployments"),
    h("label", { class: "live" }, live, " Live (every 5 s)")), body);
  await draw(body);
  ctx.every(5000, () => { if (live.checked) draw(body); });
}

async function draw(body) {
  const report = await get("/v1/deployments");
  const badge = state => h("span", { class: "badge " + (state === "healthy" || state === "closed" ? "good"
    : state === "half_open" ? "warn" : "bad") }, state);
  clear(body).append(
    table([
      { label: "Deployment", value: d => d.id },
      { label: "Health", value: d => badge(d.state) },
      { label: "In flight", value: d => num(d.in_flight), cls: "num" },
      { label: "Latency", value: d => ms(d.latency_ms), cls: "num" },
      { label: "Successes", value: d => num(d.successes), cls: "num" },
      { label: "Failures", value: d => num(d.failures), cls: "num" },
      { label: "Last error", value: d => d.last_error ? d.last_error + (d.last_error_at ? " (" + d.last_error_at + ")" : "") : "–" },
    ], report.data, { id: "deployments-table", empty: "No deployment has served a request yet." }),
    h("h2", {}, "Circuit breakers"),
    table([
      { label: "Upstream", value: b => b.upstream },
      { label: "State", value: b => badge(b.state) },
    ], report.circuit_breakers || [], { id: "breakers-table", empty: "No circuit breaker yet." }),
    h("h2", {}, "Registered deployments and their connectors"),
    table([
      { label: "Deployment", value: c => c.deployment },
      { label: "Models", value: c => c.models },
      { label: "Connector", value: c => c.id || "– (none has connected)" },
      { label: "State", value: c => badge(c.id && c.online ? "healthy" : "offline") },
      { label: "Since", value: c => c.since ? new Date(c.since * 1000).toISOString().slice(0, 19).replace("T", " ") : "–" },
      { label: "Version", value: c => c.version || "–" },
      { label: "Remote address", value: c => c.remote_address || "–" },
      { label: "Streams", value: c => num(c.streams || 0), cls: "num" },
      { label: "Round trip", value: c => c.rtt_ms === undefined || c.rtt_ms === null ? "–" : ms(c.rtt_ms), cls: "num" },
    ], connectorRows(report.registered || []), { id: "connectors-table", empty: "No registered deployment (docs/connectors.md)." }),
    h("p", { class: "hint" }, "Updated " + new Date().toISOString().slice(11, 19) + " UTC."));
}

/** One row per connector of each registered deployment (one row for a deployment no connector has reached). */
function connectorRows(registered) {
  const rows = [];
  for (const d of registered) {
    const base = { deployment: d.name + " (" + d.id + ")", models: (d.models || []).join(", ") };
    if (!d.connectors || d.connectors.length === 0) rows.push(base);
    else for (const c of d.connectors) rows.push(Object.assign({}, c, base));
  }
  return rows;
}
