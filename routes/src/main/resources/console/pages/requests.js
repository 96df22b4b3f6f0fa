// Requests: the ledger's paged log with filters; a session's requests in order; one request's detail.
import { get } from "../api.js";
import { clear, field, h, link, message, ms, num, show, table, time } from "../dom.js";
import { RANGES, select } from "./filters.js";

const state = { session_id: "", token_id: "", project_id: "", model: "", range: "day", after: null, history: [] };

export async function render(page, parts, ctx) {
  if (parts[0] === "sessions" && parts[1]) return session(page, parts[1], ctx);
  if (parts[0] === "requests" && parts.length === 2) return detail(page, parts[1], ctx);
  if (parts[0] === "requests" && parts.length === 3) {
    // #/requests/token/<id>, #/requests/project/<id>: the log filtered
    state.token_id = parts[1] === "token" ? parts[2] : "";
    state.project_id = parts[1] === "project" ? parts[2] : "";
    state.after = null;
    state.history = [];
  }
  return log(page, ctx);
}

function columns(ctx, withSession = true) {
  return [
    { label: "Time", value: e => time(e.created_at) },
    { label: "Request", value: e => link(e.request_id.slice(0, 13) + "…", "requests", e.request_id), cls: "mono" },
    withSession ? { label: "Session", value: e => e.session_id ? link(e.session_id, "sessions", e.session_id) : "–", cls: "session" } : null,
    { label: "Token", value: e => e.token_id || "–", cls: "mono" },
    { label: "Project", value: e => e.project_id ? ctx.projectName(e.project_id) : "–" },
    { label: "Model asked → used", value: e => modelCell(e) },
    { label: "Status", value: e => h("span", { class: "badge " + (e.status >= 400 ? "bad" : "good") }, String(e.status),
      e.error_code ? " " + e.error_code : "") },
    { label: "Tokens in / out", value: e => num(e.prompt_tokens) + " / " + num(e.completion_tokens), cls: "num" },
    { label: "Credits", value: e => e.credits === null || e.credits === undefined ? "–" : num(e.credits, 6), cls: "num" },
    { label: "Latency", value: e => ms(e.latency_ms), cls: "num" },
  ].filter(Boolean);
}

function modelCell(e) {
  const asked = e.model_requested || "–";
  const used = e.model_used && e.model_used !== e.model_requested ? " → " + e.model_used : "";
  return h("span", {}, asked + used, e.fallback_depth > 0 ? h("span", { class: "badge warn" }, "fallback ×" + e.fallback_depth) : null);
}

async function log(page, ctx) {
  const session = h("input", { id: "req-session", type: "search", placeholder: "session id", value: state.session_id });
  const token = h("input", { id: "req-token", type: "search", placeholder: "token id", value: state.token_id });
  const project = select("req-project", [["", "All projects"], ...ctx.projects.map(p => [p.id, p.name])], state.project_id);
  const model = h("input", { id: "req-model", type: "search", placeholder: "model", value: state.model });
  const range = select("req-range", Object.entries(RANGES).map(([k, r]) => [k, r.label]), state.range);
  const results = h("div", { id: "requests-results" });
  const notice = message("requests-message");
  const form = h("form", { class: "filters", id: "requests-filter" },
    field("Session", session), field("Token", token), field("Project", project), field("Model", model),
    field("Range", range), h("div", { class: "actions" }, h("button", { type: "submit", id: "req-search" }, "Search")));
  form.addEventListener("submit", event => {
    event.preventDefault();
    Object.assign(state, {
      session_id: session.value.trim(), token_id: token.value.trim(), project_id: project.value,
      model: model.value.trim(), range: range.value, after: null, history: [],
    });
    draw(results, ctx, notice);
  });
  const live = h("input", { type: "checkbox", id: "live" });
  page.append(h("div", { class: "page-head" }, h("h1", {}, "Requests"),
    h("label", { class: "live" }, live, " Live (every 5 s)")), form, notice, results);
  await draw(results, ctx, notice);
  // the live view follows the log: the page shown is read again (new requests appear at its end, oldest first)
  ctx.every(5000, () => { if (live.checked) draw(results, ctx, notice); });
}

async function draw(results, ctx, notice) {
  show(notice, "");
  const from = Math.floor(Date.now() / 1000 - RANGES[state.range].seconds);
  let list;
  try {
    list = await get("/admin/v1/requests", {
      session_id: state.session_id, token_id: state.token_id, project_id: state.project_id, model: state.model,
      from, limit: 25, after: state.after,
    });
  } catch (e) {
    if (e.status === 401) throw e;
    show(notice, e.message);
    return;
  }
  const next = h("button", { type: "button", class: "secondary", id: "req-next", disabled: !list.has_more }, "Next page");
  next.addEventListener("click", () => {
    state.history.push(state.after);
    state.after = list.last_id;
    draw(results, ctx, notice);
  });
  const prev = h("button", { type: "button", class: "secondary", id: "req-prev", disabled: state.history.length === 0 }, "Previous page");
  prev.addEventListener("click", () => {
    state.after = state.history.pop() ?? null;
    draw(results, ctx, notice);
  });
  const refresh = h("button", { type: "button", class: "secondary", id: "req-refresh" }, "Refresh");
  refresh.addEventListener("click", () => draw(results, ctx, notice));
  clear(results).append(
    table(columns(ctx), list.data, { id: "requests-table", empty: "No requests match.", rowClass: e => e.status >= 400 ? "failed" : null }),
    h("div", { class: "pager" }, prev, next, refresh, h("span", { class: "hint" }, "Oldest first.")));
}

async function session(page, id, ctx) {
  const listed = [];
  let after;
  for (let i = 0; i < 10; i++) {
    const list = await get("/admin/v1/requests", { session_id: id, limit: 100, after });
    listed.push(...list.data);
    if (!list.has_more) break;
    after = list.last_id;
  }
  const errors = listed.filter(e => e.status >= 400).length;
  const fallbacks = listed.filter(e => e.fallback_depth > 0).length;
  const tokens = listed.reduce((sum, e) => sum + (e.prompt_tokens || 0) + (e.completion_tokens || 0), 0);
  page.append(
    h("div", { class: "page-head" }, h("h1", {}, "Session"), link("← all requests", "requests")),
    h("p", { class: "session-id" }, h("span", { class: "stat-label" }, "Session id "), h("code", { id: "session-id" }, id)),
    h("div", { class: "cards" },
      card("Requests", num(listed.length)), card("Errors", num(errors)), card("Fallbacks", num(fallbacks)),
      card("Tokens", num(tokens))),
    h("ol", { class: "timeline", id: "session-timeline" }, listed.map((e, i) => h("li", {
      class: e.status >= 400 ? "failed" : e.fallback_depth > 0 ? "fallback" : "ok",
    }, h("span", { class: "step" }, "#" + (i + 1)), " ", time(e.created_at), " ", link(e.request_id, "requests", e.request_id),
    " ", modelCell(e), " ", h("span", { class: "badge " + (e.status >= 400 ? "bad" : "good") }, String(e.status)),
    e.error_code ? h("span", { class: "error-code" }, " " + e.error_code) : null, " ", ms(e.latency_ms)))),
    table(columns(ctx, false), listed, { id: "session-table", empty: "No requests in this session yet." }));
}

function card(labelText, value) {
  return h("div", { class: "stat" }, h("span", { class: "stat-label" }, labelText), h("span", { class: "stat-value" }, value));
}

async function detail(page, id, ctx) {
  const e = await get("/admin/v1/requests/" + encodeURIComponent(id));
  const row = (name, value) => [h("dt", {}, name), h("dd", {}, value === null || value === undefined ? "–" : value)];
  const chain = [];
  for (let i = 0; i < e.fallback_depth; i++) chain.push(h("li", { class: "failed" }, "deployment " + (i + 1) + ": failed"));
  chain.push(h("li", { class: e.status >= 400 ? "failed" : "ok" },
    (e.model_used || e.model_requested || "–") + (e.provider ? " via " + e.provider : "") + ": " +
    (e.status >= 400 ? "answered " + e.status : "served")));
  const known = v => v !== null && v !== undefined;
  const afterFirst = known(e.latency_ms) && known(e.ttft_ms) ? e.latency_ms - e.ttft_ms : null;
  // the gateway's own share: to the upstream's reply (a stream's head) minus the upstream's time to it
  const gateway = known(e.upstream_ms) ? (known(e.ttft_ms) ? e.ttft_ms : e.latency_ms) - e.upstream_ms : null;
  page.append(
    h("div", { class: "page-head" }, h("h1", {}, "Request"),
      e.session_id ? link("← its session", "sessions", e.session_id) : link("← all requests", "requests")),
    h("dl", { class: "detail", id: "request-detail" },
      row("Request id", h("code", {}, e.request_id)),
      row("Time", time(e.created_at)),
      row("Session", e.session_id ? link(e.session_id, "sessions", e.session_id) : null),
      row("Surface", e.surface),
      row("Token", e.token_id),
      row("Team / project", (e.team_id ? ctx.teamName(e.team_id) : "–") + " / " + (e.project_id ? ctx.projectName(e.project_id) : "–")),
      row("Model asked", e.model_requested),
      row("Model used", e.model_used),
      row("Provider", e.provider),
      row("Status", String(e.status) + (e.error_code ? " " + e.error_code : "")),
      row("Outcome", e.outcome),
      row("Tokens in / out / cached", num(e.prompt_tokens) + " / " + num(e.completion_tokens) + " / " + num(e.cached_tokens)),
      row("Credits", e.credits === null || e.credits === undefined ? null : num(e.credits, 6))),
    h("h2", {}, "Timings"),
    h("dl", { class: "detail", id: "request-timings" },
      row("Total (to the reply's end)", ms(e.latency_ms)),
      row("Upstream (to its reply; a stream's head)", known(e.upstream_ms) ? ms(e.upstream_ms) : "– (no upstream call)"),
      row("Gateway (the rest, before the reply went out)", gateway === null ? "–" : ms(Math.max(0, gateway))),
      row("First token", known(e.ttft_ms) ? ms(e.ttft_ms) : "– (not a stream)"),
      row("After the first token", afterFirst === null ? "–" : ms(afterFirst))),
    h("h2", {}, "Deployment chain"),
    h("ol", { class: "chain", id: "request-chain" }, chain),
    h("h2", {}, "Bodies"),
    await bodies(e.request_id));
}

/** JSON indented; anything else as it is (always as text). */
function pretty(body) {
  if (body === null || body === undefined) return "–";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch (e) {
    return body;
  }
}

/** The bodies, when debug capture was on for the request's project; otherwise why there are none. */
async function bodies(id) {
  try {
    const kept = await get("/admin/v1/requests/" + encodeURIComponent(id) + "/bodies");
    return h("div", { id: "request-bodies" },
      h("p", { class: "hint" }, "Kept by debug capture (cut at 65,536 characters)."),
      h("h3", {}, "Request"), h("pre", { class: "body", id: "request-body" }, pretty(kept.request_body)),
      h("h3", {}, "Response"), h("pre", { class: "body", id: "response-body" }, pretty(kept.response_body)));
  } catch (error) {
    if (error.status !== 404) throw error;
    return h("p", { class: "hint", id: "request-bodies" },
      "Not stored: the ledger keeps ids, models, counts, status and timings only. Turn on debug capture for the project (Teams & projects) to keep bodies for a while.");
  }
}
