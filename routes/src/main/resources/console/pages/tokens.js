// Tokens: list, create (the secret shown once, with a copy button), revoke, rotate, limits.
import { get, patch, post } from "../api.js";
import { ago, clear, field, h, link, message, show, table, time } from "../dom.js";
import { select } from "./filters.js";

const state = { project_id: "", after: null, history: [] };

export async function render(page, parts, ctx) {
  const listBox = h("div", { id: "tokens-list" });
  const notice = message("tokens-message");
  const secretBox = h("div", { id: "secret-box" });
  const projectFilter = select("tokens-project", [["", "All projects"], ...ctx.projects.map(p => [p.id, label(ctx, p)])],
    state.project_id);
  projectFilter.addEventListener("change", () => {
    state.project_id = projectFilter.value;
    state.after = null;
    state.history = [];
    drawList(listBox, ctx, notice, secretBox);
  });
  page.append(
    h("div", { class: "page-head" }, h("h1", {}, "Tokens")),
    createForm(ctx, notice, secretBox, () => drawList(listBox, ctx, notice, secretBox)),
    secretBox,
    notice,
    h("div", { class: "filters" }, field("Project", projectFilter)),
    listBox);
  await drawList(listBox, ctx, notice, secretBox);
}

function label(ctx, project) {
  return ctx.teamName(project.team_id) + " / " + project.name;
}

function createForm(ctx, notice, secretBox, refresh) {
  const project = select("token-project", ctx.projects.map(p => [p.id, label(ctx, p)]), ctx.projects[0]?.id);
  const name = h("input", { id: "token-name", required: true, maxlength: 200, placeholder: "ci" });
  const models = h("input", { id: "token-models", placeholder: "all models (or gpt-4o, claude-sonnet-4)" });
  const expires = h("input", { id: "token-expires", type: "number", min: 1, placeholder: "never", title: "days" });
  const role = select("token-role", [["client", "client"], ["admin", "admin (of its team)"]], "client");
  const rpm = h("input", { id: "token-rpm", type: "number", min: 1, placeholder: "project default" });
  const tpm = h("input", { id: "token-tpm", type: "number", min: 1, placeholder: "project default" });
  const conc = h("input", { id: "token-concurrency", type: "number", min: 1, placeholder: "project default" });
  const form = h("form", { id: "token-form", class: "card form-grid", autocomplete: "off" },
    h("h2", {}, "Create a token"),
    field("Project", project), field("Name", name), field("Models", models), field("Expires in (days)", expires),
    field("Role", role), field("Requests / min", rpm), field("Tokens / min", tpm), field("Concurrent", conc),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "token-create" }, "Create token")));
  form.addEventListener("submit", async event => {
    event.preventDefault();
    show(notice, "");
    if (!project.value) {
      show(notice, "Create a project first (Teams & projects).");
      return;
    }
    const body = {
      project_id: project.value, name: name.value.trim(), role: role.value,
      models: models.value.split(",").map(m => m.trim()).filter(Boolean),
    };
    if (expires.value) body.expires_at = Math.floor(Date.now() / 1000 + Number(expires.value) * 86400);
    try {
      const created = await post("/admin/v1/tokens", body);
      const limits = {};
      if (rpm.value) limits.rpm = Number(rpm.value);
      if (tpm.value) limits.tpm = Number(tpm.value);
      if (conc.value) limits.max_concurrent = Number(conc.value);
      if (Object.keys(limits).length) await patch("/admin/v1/tokens/" + encodeURIComponent(created.id), limits);
      showSecret(secretBox, created, "created");
      form.reset();
      await refresh();
    } catch (e) {
      show(notice, "Not created: " + e.message);
    }
  });
  return form;
}

/** The secret, once: it is not stored anywhere, and the box goes when the page changes. */
function showSecret(box, issued, verb) {
  const secret = h("code", { id: "token-secret" }, issued.token);
  const copied = h("span", { class: "hint", id: "copy-state" });
  const copy = h("button", {
    type: "button", id: "copy-secret", class: "secondary",
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(issued.token);
        copied.textContent = "Copied.";
      } catch (e) {
        // no clipboard permission: select the text for a manual copy
        const range = document.createRange();
        range.selectNodeContents(secret);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        copied.textContent = "Selected: press Ctrl+C.";
      }
    },
  }, "Copy");
  clear(box).append(h("div", { class: "card secret" },
    h("p", {}, `Token ${issued.name} ${verb}. Its secret is shown this once: copy it now.`),
    h("div", { class: "secret-line" }, secret, copy, copied),
    h("button", { type: "button", class: "secondary", onclick: () => clear(box) }, "Done")));
}

async function drawList(box, ctx, notice, secretBox) {
  const list = await get("/admin/v1/tokens", { project_id: state.project_id, limit: 50, after: state.after });
  const actions = token => {
    if (token.revoked_at) return h("span", { class: "badge bad" }, "revoked");
    const revoke = h("button", { type: "button", class: "danger small", "data-action": "revoke" }, "Revoke");
    revoke.addEventListener("click", async () => {
      if (revoke.dataset.armed !== "yes") {
        // a second click confirms: no modal dialog
        revoke.dataset.armed = "yes";
        revoke.textContent = "Confirm revoke";
        return;
      }
      try {
        await post("/admin/v1/tokens/" + encodeURIComponent(token.id) + "/revoke");
        show(notice, `Token ${token.name} revoked.`, "notice");
        await drawList(box, ctx, notice, secretBox);
      } catch (e) {
        show(notice, "Not revoked: " + e.message);
      }
    });
    const rotate = h("button", { type: "button", class: "secondary small", "data-action": "rotate" }, "Rotate");
    rotate.addEventListener("click", async () => {
      try {
        const rotated = await post("/admin/v1/tokens/" + encodeURIComponent(token.id) + "/rotate");
        showSecret(secretBox, rotated, "rotated (the old secret keeps working for the grace period)");
        await drawList(box, ctx, notice, secretBox);
      } catch (e) {
        show(notice, "Not rotated: " + e.message);
      }
    });
    return h("span", { class: "row-actions" }, rotate, revoke);
  };
  const limits = t => [t.rpm ? t.rpm + " rpm" : null, t.tpm ? t.tpm + " tpm" : null,
    t.max_concurrent ? t.max_concurrent + " conc." : null].filter(Boolean).join(", ") || "project default";
  const older = h("button", { type: "button", class: "secondary", id: "tokens-next", disabled: !list.has_more }, "Next page");
  older.addEventListener("click", () => {
    state.history.push(state.after);
    state.after = list.last_id;
    drawList(box, ctx, notice, secretBox);
  });
  const first = h("button", { type: "button", class: "secondary", disabled: state.history.length === 0 }, "First page");
  first.addEventListener("click", () => {
    state.after = null;
    state.history = [];
    drawList(box, ctx, notice, secretBox);
  });
  clear(box).append(table([
    { label: "Name", value: t => t.name },
    { label: "Id", value: t => h("code", {}, t.id) },
    { label: "Prefix", value: t => h("code", {}, t.prefix) },
    { label: "Project", value: t => ctx.teamName(t.team_id) + " / " + ctx.projectName(t.project_id) },
    { label: "Role", value: t => t.role },
    { label: "Models", value: t => t.models.length ? t.models.join(", ") : "all" },
    { label: "Limits", value: limits },
    { label: "Expires", value: t => t.expires_at ? time(t.expires_at) : "never" },
    { label: "Last used", value: t => h("span", { title: time(t.last_used_at) }, ago(t.last_used_at)) },
    { label: "Requests", value: t => link("requests", "requests", "token", t.id) },
    { label: "", value: actions },
  ], list.data, { id: "tokens-table", empty: "No tokens.", rowClass: t => t.revoked_at ? "revoked" : null }),
  h("div", { class: "pager" }, first, older));
}
