// Teams and projects: balances, top-ups, default limits; creating teams (master key) and projects.
import { patch, post } from "../api.js";
import { clear, field, h, link, message, num, show, table, time } from "../dom.js";
import { select } from "./filters.js";

export async function render(page, parts, ctx) {
  const notice = message("teams-message");
  const body = h("div", { id: "teams-body" });
  const redraw = async () => {
    await ctx.reload();
    draw(body, ctx, notice, redraw);
  };
  page.append(h("div", { class: "page-head" }, h("h1", {}, "Teams & projects")), notice, body);
  await ctx.reload();
  draw(body, ctx, notice, redraw);
}

function draw(body, ctx, notice, redraw) {
  const teamName = h("input", { id: "team-name", required: true, maxlength: 200, placeholder: "acme" });
  const teamForm = h("form", { id: "team-form", class: "inline-form", autocomplete: "off" },
    field("New team", teamName), h("button", { type: "submit" }, "Create team"));
  teamForm.addEventListener("submit", async event => {
    event.preventDefault();
    try {
      await post("/admin/v1/teams", { name: teamName.value.trim() });
      show(notice, "Team created.", "notice");
      await redraw();
    } catch (e) {
      show(notice, "Not created: " + e.message);
    }
  });
  const projectTeam = select("project-team", ctx.teams.map(t => [t.id, t.name]), ctx.teams[0]?.id);
  const projectName = h("input", { id: "project-name", required: true, maxlength: 200, placeholder: "web" });
  const projectForm = h("form", { id: "project-form", class: "inline-form", autocomplete: "off" },
    field("Team", projectTeam), field("New project", projectName), h("button", { type: "submit" }, "Create project"));
  projectForm.addEventListener("submit", async event => {
    event.preventDefault();
    try {
      await post("/admin/v1/projects", { team_id: projectTeam.value, name: projectName.value.trim() });
      show(notice, "Project created.", "notice");
      await redraw();
    } catch (e) {
      show(notice, "Not created: " + e.message);
    }
  });

  const topUp = project => {
    const amount = h("input", { type: "number", step: "any", placeholder: "credits", class: "short", "aria-label": "amount" });
    const form = h("form", { class: "row-form", "data-project": project.id }, amount,
      h("button", { type: "submit", class: "small" }, "Top up"));
    form.addEventListener("submit", async event => {
      event.preventDefault();
      if (!amount.value) return;
      try {
        await post("/admin/v1/projects/" + encodeURIComponent(project.id) + "/credits",
          { amount: Number(amount.value), note: "console top-up" });
        show(notice, `Project ${project.name} topped up by ${amount.value}.`, "notice");
        await redraw();
      } catch (e) {
        show(notice, "Not topped up: " + e.message);
      }
    });
    return form;
  };
  const limits = project => {
    const input = (name, placeholder) => h("input", {
      type: "number", min: 1, class: "short", placeholder, "aria-label": name,
      value: project[name] === null || project[name] === undefined ? "" : project[name],
    });
    const rpm = input("default_rpm", "rpm"), tpm = input("default_tpm", "tpm"), conc = input("default_max_concurrent", "conc.");
    const form = h("form", { class: "row-form" }, rpm, tpm, conc, h("button", { type: "submit", class: "small secondary" }, "Set"));
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const value = el => el.value === "" ? null : Number(el.value);
      try {
        await patch("/admin/v1/projects/" + encodeURIComponent(project.id),
          { default_rpm: value(rpm), default_tpm: value(tpm), default_max_concurrent: value(conc) });
        show(notice, `Limits of ${project.name} saved.`, "notice");
        await redraw();
      } catch (e) {
        show(notice, "Not saved: " + e.message);
      }
    });
    return form;
  };

  const capture = project => {
    const until = project.debug_capture_until;
    const path = "/admin/v1/projects/" + encodeURIComponent(project.id) + "/debug";
    if (until && until * 1000 > Date.now()) {
      const off = h("button", { type: "button", class: "small secondary", "data-action": "capture-off" }, "Turn off");
      off.addEventListener("click", async () => {
        try {
          await post(path, { minutes: 0 });
          show(notice, `Debug capture of ${project.name} turned off.`, "notice");
          await redraw();
        } catch (e) {
          show(notice, "Not turned off: " + e.message);
        }
      });
      return h("span", { class: "row-form" },
        h("span", { class: "badge warn" }, "on until " + new Date(until * 1000).toISOString().slice(11, 16) + " UTC"), off);
    }
    const minutes = h("input", { type: "number", min: 1, max: 1440, value: 15, class: "short", "aria-label": "minutes",
      title: "minutes (at most 1440)" });
    const form = h("form", { class: "row-form", "data-capture": project.id }, minutes, h("span", { class: "hint" }, "min"),
      h("button", { type: "submit", class: "small secondary" }, "Capture bodies"));
    form.addEventListener("submit", async event => {
      event.preventDefault();
      try {
        await post(path, { minutes: Number(minutes.value) });
        show(notice, `Debug capture of ${project.name} is on for ${minutes.value} minutes: request and response bodies are stored.`, "notice");
        await redraw();
      } catch (e) {
        show(notice, "Not turned on: " + e.message);
      }
    });
    return form;
  };

  clear(body).append(
    h("h2", {}, "Teams"),
    teamForm,
    table([
      { label: "Name", value: t => t.name },
      { label: "Id", value: t => h("code", {}, t.id) },
      { label: "Projects", value: t => num(ctx.projects.filter(p => p.team_id === t.id).length), cls: "num" },
      { label: "Created", value: t => time(t.created_at) },
    ], ctx.teams, { id: "teams-table", empty: "No teams yet." }),
    h("h2", {}, "Projects"),
    projectForm,
    table([
      { label: "Project", value: p => p.name },
      { label: "Team", value: p => ctx.teamName(p.team_id) },
      { label: "Id", value: p => h("code", {}, p.id) },
      { label: "Balance", value: p => p.balance === null ? "not metered" : num(p.balance, 6), cls: "num balance" },
      { label: "Reserved", value: p => num(p.reserved, 6), cls: "num" },
      { label: "Top up", value: topUp },
      { label: "Default limits (rpm, tpm, concurrent)", value: limits },
      { label: "Debug capture", value: capture },
      { label: "Requests", value: p => link("requests", "requests", "project", p.id) },
    ], ctx.projects, { id: "projects-table", empty: "No projects yet." }),
    h("p", { class: "hint" }, "A project never topped up is not metered. A negative top-up is a correction; it may not take the balance below zero."
      + " Debug capture stores the bodies of a project's requests while it is on (at most a day; kept 7 days); off by default."));
}
