// Overview: totals, charts per time bucket (one /admin/v1/usage call per bucket), top models, latency percentiles.
import { all, get } from "../api.js";
import { barChart } from "../charts.js";
import { clear, h, ms, num, table } from "../dom.js";
import { filterBar, query, RANGES } from "./filters.js";

const state = { range: "hour", team_id: "", project_id: "", model: "" };
const SAMPLE_PAGES = 5; // at most 500 requests read for the percentiles and the top models

export async function render(page, parts, ctx) {
  const results = h("div", { id: "overview-results" });
  const live = h("input", { type: "checkbox", id: "live", checked: true });
  page.append(
    h("div", { class: "page-head" }, h("h1", {}, "Overview"),
      h("label", { class: "live" }, live, " Live (every 5 s)")),
    filterBar(ctx, state, () => draw(results, ctx)),
    results);
  await draw(results, ctx);
  ctx.every(5000, () => { if (live.checked) draw(results, ctx); });
}

function label(date, range) {
  const iso = date.toISOString();
  return range === "month" ? iso.slice(5, 10) : iso.slice(11, 16);
}

async function draw(results, ctx) {
  const range = RANGES[state.range];
  const now = Math.floor(Date.now() / 1000);
  const size = range.seconds / range.buckets;
  // bucket edges aligned to the bucket size, the last one ending now
  const end = now + 1;
  const starts = [];
  for (let i = range.buckets - 1; i >= 0; i--) starts.push(end - (i + 1) * size);
  const filter = query(state);
  const [buckets, totals, sample] = await Promise.all([
    Promise.all(starts.map(from => get("/admin/v1/usage", { ...filter, from: Math.floor(from), to: Math.floor(from + size) }))),
    get("/admin/v1/usage", { ...filter, from: Math.floor(starts[0]), to: end }),
    all("/admin/v1/requests", { ...filter, from: Math.floor(starts[0]), to: end }, SAMPLE_PAGES),
  ]);
  const series = key => buckets.map((b, i) => ({
    label: label(new Date(starts[i] * 1000), state.range),
    value: key(b),
  }));
  const latencies = sample.data.map(e => e.latency_ms).filter(v => v !== null && v !== undefined);
  const ttfts = sample.data.map(e => e.ttft_ms).filter(v => v !== null && v !== undefined);
  const tokens = totals.prompt_tokens + totals.completion_tokens;
  const errorRate = totals.requests ? totals.errors / totals.requests : null;
  const models = new Map();
  for (const e of sample.data) {
    const m = e.model_used || e.model_requested || "(none)";
    const row = models.get(m) || { model: m, requests: 0, errors: 0, tokens: 0 };
    row.requests++;
    if (e.status >= 400) row.errors++;
    row.tokens += (e.prompt_tokens || 0) + (e.completion_tokens || 0);
    models.set(m, row);
  }
  const top = [...models.values()].sort((a, b) => b.requests - a.requests).slice(0, 10);

  clear(results).append(
    h("div", { class: "cards" },
      stat("Requests", num(totals.requests), "stat-requests"),
      stat("Errors", num(totals.errors), "stat-errors"),
      stat("Error rate", errorRate === null ? "–" : num(errorRate * 100, 1) + " %", "stat-error-rate"),
      stat("Tokens", num(tokens), "stat-tokens"),
      stat("Credits", num(totals.credits, 4), "stat-credits"),
      stat("Latency p50 / p99", ms(pct(latencies, 50)) + " / " + ms(pct(latencies, 99)), "stat-latency"),
      stat("First token p50 / p99", ms(pct(ttfts, 50)) + " / " + ms(pct(ttfts, 99)), "stat-ttft")),
    h("div", { class: "charts" },
      chart("Requests", series(b => b.requests)),
      chart("Errors", series(b => b.errors), "errors"),
      chart("Tokens", series(b => b.prompt_tokens + b.completion_tokens)),
      chart("Credits", series(b => b.credits || 0), "credits", v => num(v, 6))),
    h("h2", {}, "Top models"),
    table([
      { label: "Model", value: r => r.model },
      { label: "Requests", value: r => num(r.requests), cls: "num" },
      { label: "Errors", value: r => num(r.errors), cls: "num" },
      { label: "Tokens", value: r => num(r.tokens), cls: "num" },
    ], top, { id: "top-models", empty: "No requests in this range." }),
    h("p", { class: "hint" }, sample.complete
      ? `Percentiles and top models from the ${num(sample.data.length)} requests of the range.`
      : `Percentiles and top models from the first ${num(sample.data.length)} requests of the range; totals and charts count all.`));
}

function stat(labelText, value, id) {
  return h("div", { class: "stat", id }, h("span", { class: "stat-label" }, labelText), h("span", { class: "stat-value" }, value));
}

function chart(title, buckets, cls, format) {
  return h("figure", { class: "chart-box" }, h("figcaption", {}, title), barChart(title, buckets, { cls, format }));
}

/** The nearest-rank percentile. */
function pct(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
}
