// The admin API with the signed-in token. The token lives in this module and in sessionStorage (this tab only):
// never in localStorage, never in a cookie.

const KEY = "taas.console.token";
let token = sessionStorage.getItem(KEY);

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function signedIn() {
  return !!token;
}

export function signIn(value) {
  token = value;
  sessionStorage.setItem(KEY, value);
}

export function signOut() {
  token = null;
  sessionStorage.removeItem(KEY);
}

/** Calls the gateway; answers the parsed JSON or throws an ApiError with the envelope's message. */
export async function api(method, path, body, query) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(name, value);
  }
  const headers = { Authorization: "Bearer " + token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit", cache: "no-store", redirect: "error",
    });
  } catch (e) {
    throw new ApiError(0, "The gateway did not answer (" + e.message + ").", "network");
  }
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    // answered below
  }
  if (!response.ok) {
    const error = json && json.error ? json.error : {};
    throw new ApiError(response.status, error.message || ("HTTP " + response.status), error.code);
  }
  return json;
}

export const get = (path, query) => api("GET", path, undefined, query);
export const post = (path, body) => api("POST", path, body === undefined ? {} : body);
export const patch = (path, body) => api("PATCH", path, body);

/** Every page of a list call, up to maxPages (bounded: the console never walks an unbounded list). */
export async function all(path, query, maxPages = 10) {
  const data = [];
  let after;
  for (let page = 0; page < maxPages; page++) {
    const list = await get(path, { ...query, limit: 100, after });
    data.push(...list.data);
    if (!list.has_more || !list.last_id) return { data, complete: true };
    after = list.last_id;
  }
  return { data, complete: false };
}
