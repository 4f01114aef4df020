import { CliError } from "./errors.js";

/** @typedef {{ message?: string; code?: string; issues?: { path: (string | number)[]; message: string }[] }} ApiError */

/** Why a request never got an answer, in words a user can act on. @param {string} url @param {unknown} err */
function unreachable(url, err) {
  const cause = /** @type {{ cause?: { code?: string } }} */ (err).cause;
  const code = cause?.code;
  if (code === "ECONNREFUSED")
    return new CliError(`Cannot connect to ${url}: connection refused. Is the URL right and is Berth running there?`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new CliError(`Cannot connect to ${url}: the host name does not resolve`);
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET")
    return new CliError(`Cannot connect to ${url}: the connection was closed (${code})`);
  return new CliError(
    `Cannot connect to ${url}: ${cause && "message" in cause ? cause.message : err instanceof Error ? err.message : err}`,
  );
}

/** The REST API (/api/v1, described at /api/openapi.json) with a Bearer token. */
export class Client {
  /** @param {string} url @param {string} token */
  constructor(url, token) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw new CliError(`"${url}" is not a URL: use e.g. https://berth.example.com`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new CliError(`"${url}" is not an http(s) URL`);
    this.url = url.replace(/\/+$/, "");
    this.token = token;
  }

  /**
   * @param {"GET" | "POST" | "PUT" | "DELETE"} method
   * @param {string} path under /api/v1
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async request(method, path, body) {
    /** @type {Response} */
    let res;
    try {
      res = await fetch(`${this.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw unreachable(this.url, err);
    }
    const text = await res.text();
    /** @type {any} */
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok && json !== undefined) return json;
    // A Berth error always carries a code and a message; anything else is some other server.
    /** @type {ApiError | undefined} */
    const error = json && typeof json === "object" && typeof json.code === "string" && typeof json.message === "string" ? json : undefined;
    if (!error)
      throw new CliError(
        `${this.url} does not look like a Berth server (${method} /api/v1${path} answered ${res.status} ${res.headers.get("content-type") ?? "without a content type"})`,
      );
    if (res.status === 401)
      throw new CliError(`The token was refused: ${error.message}. Run \`berth login\` with a valid token (Settings, API tokens).`);
    const fields = (error.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new CliError(fields.length > 0 ? `${error.message}: ${fields.join("; ")}` : (error.message ?? `HTTP ${res.status}`));
  }
}
