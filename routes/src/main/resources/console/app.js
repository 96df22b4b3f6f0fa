// The console's shell: sign-in, sign-out, hash routing to the pages, and the timers of the live views.
import { ApiError, all, get, signIn, signOut, signedIn } from "./api.js";
import { clear, h, show } from "./dom.js";
import * as overview from "./pages/overview.js";
import * as tokens from "./pages/tokens.js";
import * as teams from "./pages/teams.js";
import * as requests from "./pages/requests.js";
import * as deployments from "./pages/deployments.js";

const PAGES = { overview, tokens, teams, requests, sessions: requests, deployments };
const $ = id => document.getElementById(id);

let timers = [];
let generation = 0;

/** What every page may use: the visible teams and projects, and timers cleared when the page changes. */
const ctx = {
  teams: [],
  projects: [],
  async reload() {
    const [t, p] = await Promise.all([all("/admin/v1/teams"), all("/admin/v1/projects")]);
    ctx.teams = t.data;
    ctx.projects = p.data;
    who();
    debugBanner();
  },
  teamName(id) {
    const team = ctx.teams.find(t => t.id === id);
    return team ? team.name : id;
  },
  projectName(id) {
    const project = ctx.projects.find(p => p.id === id);
    return project ? project.name : id;
  },
  every(millis, fn) {
    const mine = generation;
    const timer = setInterval(() => {
      if (mine === generation && !document.hidden) fn();
    }, millis);
    timers.push(timer);
  },
};

function stopTimers() {
  timers.forEach(clearInterval);
  timers = [];
  generation++;
}

function signedInView(on) {
  $("sign-in").hidden = on;
  $("page").hidden = !on;
  $("nav").hidden = !on;
  $("who").hidden = !on;
}

async function route() {
  stopTimers();
  if (!signedIn()) {
    signedInView(false);
    $("sign-in-token").focus();
    return;
  }
  signedInView(true);
  let parts;
  try {
    parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  } catch (e) {
    parts = []; // a hand-written hash that is not valid percent-encoding: the overview
  }
  const name = Object.hasOwn(PAGES, parts[0] ?? "") ? parts[0] : "overview";
  for (const a of document.querySelectorAll("#nav a")) {
    a.classList.toggle("active", a.dataset.page === (name === "sessions" ? "requests" : name));
  }
  const page = $("page");
  clear(page);
  page.dataset.page = name;
  const mine = generation;
  try {
    await PAGES[name].render(page, parts, ctx);
  } catch (e) {
    if (mine !== generation) return;
    if (e instanceof ApiError && e.status === 401) {
      // the token was revoked or expired meanwhile
      signOut();
      show($("sign-in-error"), "The gateway no longer accepts this token: " + e.message);
      route();
      return;
    }
    page.appendChild(h("p", { class: "message error", role: "alert" }, e.message));
  }
}

/** Debug capture stores bodies: while it is on for a project, every page says so. */
function debugBanner() {
  const now = Date.now() / 1000;
  const on = signedIn() ? ctx.projects.filter(p => p.debug_capture_until && p.debug_capture_until > now) : [];
  $("debug-banner").hidden = on.length === 0;
  $("debug-banner").textContent = on.length === 0 ? "" : "Debug capture is on (request and response bodies are stored) for: "
    + on.map(p => ctx.teamName(p.team_id) + " / " + p.name + " until "
      + new Date(p.debug_capture_until * 1000).toISOString().slice(11, 16) + " UTC").join(", ");
}

function who() {
  $("who-text").textContent = "Admin · " + ctx.teams.length + (ctx.teams.length === 1 ? " team" : " teams");
}

async function submitSignIn(event) {
  event.preventDefault();
  const input = $("sign-in-token");
  const error = $("sign-in-error");
  const value = input.value.trim();
  show(error, "");
  if (!value) {
    show(error, "Enter an admin token.");
    return;
  }
  signIn(value);
  try {
    await ctx.reload();
  } catch (e) {
    signOut();
    if (e.status === 403) {
      show(error, "This token is not an admin token. Sign in with the master key or a team admin token (role admin).");
    } else if (e.status === 401) {
      show(error, "The gateway does not know this token (or it was revoked): " + e.message);
    } else {
      show(error, "Sign-in failed: " + e.message);
    }
    return;
  }
  input.value = "";
  if (!location.hash || location.hash === "#" || location.hash === "#/") location.hash = "#/overview";
  route();
}

async function start() {
  $("sign-in-form").addEventListener("submit", submitSignIn);
  $("sign-out").addEventListener("click", () => {
    signOut();
    ctx.teams = [];
    ctx.projects = [];
    debugBanner();
    show($("sign-in-error"), "Signed out.", "notice");
    route();
  });
  window.addEventListener("hashchange", route);
  if (signedIn()) {
    try {
      await ctx.reload();
    } catch (e) {
      signOut();
      show($("sign-in-error"), "Sign in again: " + e.message);
    }
  }
  route();
}

start();
