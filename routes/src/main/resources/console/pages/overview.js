// Overview: totals, charts per time bucket, top models, latency and first-token percentiles, live.
import { get } from "../api.js";
import { barChart } from "../charts.js";
import { clear, h, ms, num, table } from "../dom.js";
import { filterBar, query, RANGES } from "./filters.js";

const state = { range: "hour", team_id: "", project_id: "", model: "" };

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
  // one call: every bucket, the range's total with its percentiles, and the top models (GET /admin/v1/usage/series)
  const range = RANGES[state.range];
  const series = await get("/admin/v1/usage/series", {
    ...query(state), bucket: range.bucket, from: Math.floor(Date.now() / 1000) - range.seconds,
  });
  const total = series.total;
  const bars = key => series.data.map(b => ({ label: label(new Date(b.start * 1000), state.range), value: key(b) }));
  const tokens = total.prompt_tokens + total.completion_tokens;
  const errorRate = total.requests ? total.errors / total.requests : null;

  clear(results).append(
    h("div", { class: "cards" },
      stat("Requests", num(total.requests), "stat-requests"),
      stat("Errors", num(total.errors), "stat-errors"),
      stat("Error rate", errorRate === null ? "–" : num(errorRate * 100, 1) + " %", "stat-error-rate"),
      stat("Tokens", num(tokens), "stat-tokens"),
      stat("Credits", num(total.credits, 6), "stat-credits"),
      stat("Latency p50 / p99", ms(total.latency_p50_ms) + " / " + ms(total.latency_p99_ms), "stat-latency"),
      stat("First token p50 / p99", ms(total.ttft_p50_ms) + " / " + ms(total.ttft_p99_ms), "stat-ttft")),
    h("div", { class: "charts" },
      chart("Requests per " + range.bucket, bars(b => b.requests)),
      chart("Errors per " + range.bucket, bars(b => b.errors), "errors"),
      chart("Tokens per " + range.bucket, bars(b => b.prompt_tokens + b.completion_tokens)),
      chart("Credits per " + range.bucket, bars(b => Number(b.credits) || 0), "credits", v => num(v, 6)),
      chart("Latency p99 per " + range.bucket + " (ms)", bars(b => b.latency_p99_ms || 0), "latency", v => ms(v))),
    h("h2", {}, "Top models"),
    table([
      { label: "Model", value: r => r.model || "(none)" },
      { label: "Requests", value: r => num(r.requests), cls: "num" },
      { label: "Errors", value: r => num(r.errors), cls: "num" },
      { label: "Tokens", value: r => num(r.tokens), cls: "num" },
    ], series.models, { id: "top-models", empty: "No requests in this range." }),
    h("p", { class: "hint" }, "Buckets in UTC. Errors are replies with a status of 400 or more; first token is measured on streams."));
}

function stat(labelText, value, id) {
  return h("div", { class: "stat", id }, h("span", { class: "stat-label" }, labelText), h("span", { class: "stat-value" }, value));
}

function chart(title, buckets, cls, format) {
  return h("figure", { class: "chart-box" }, h("figcaption", {}, title), barChart(title, buckets, { cls, format }));
}

