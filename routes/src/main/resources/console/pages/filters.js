// Shared filter controls: time range, team, project, model.
import { field, h } from "../dom.js";

export const RANGES = {
  hour: { label: "Last hour", seconds: 3600, bucket: "minute" },
  day: { label: "Last day", seconds: 86400, bucket: "hour" },
  month: { label: "Last 30 days", seconds: 30 * 86400, bucket: "day" },
};

export function select(id, options, value) {
  return h("select", { id }, options.map(([v, label]) => h("option", { value: v, selected: v === value }, label)));
}

/** Range, team, project and model controls; onChange gets {range, team_id, project_id, model}. */
export function filterBar(ctx, state, onChange, withRange = true) {
  const range = select("filter-range", Object.entries(RANGES).map(([k, r]) => [k, r.label]), state.range);
  const team = select("filter-team", [["", "All teams"], ...ctx.teams.map(t => [t.id, t.name])], state.team_id || "");
  const project = h("select", { id: "filter-project" });
  const model = h("input", { id: "filter-model", type: "search", placeholder: "any model", value: state.model || "" });
  const fillProjects = () => {
    while (project.firstChild) project.removeChild(project.firstChild);
    project.appendChild(h("option", { value: "" }, "All projects"));
    for (const p of ctx.projects.filter(p => !team.value || p.team_id === team.value)) {
      project.appendChild(h("option", { value: p.id, selected: p.id === state.project_id }, p.name));
    }
  };
  fillProjects();
  const changed = () => {
    state.range = range.value;
    state.team_id = team.value;
    state.project_id = project.value;
    state.model = model.value.trim();
    onChange(state);
  };
  team.addEventListener("change", () => { fillProjects(); changed(); });
  for (const el of [range, project]) el.addEventListener("change", changed);
  model.addEventListener("change", changed);
  return h("div", { class: "filters" },
    withRange ? field("Range", range) : null, field("Team", team), field("Project", project), field("Model", model));
}

export function query(state) {
  return { team_id: state.team_id, project_id: state.project_id, model: state.model };
}
