import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { CliError } from "./errors.js";

/** @typedef {{ url: string; token: string; teamId?: string; teamName?: string }} Config */

/** $XDG_CONFIG_HOME/berth/config.json, or ~/.config/berth/config.json. */
export function configPath() {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "berth", "config.json");
}

/** @returns {Promise<Partial<Config>>} */
async function readStored() {
  try {
    return JSON.parse(await readFile(configPath(), "utf8"));
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code === "ENOENT") return {};
    throw new CliError(`Cannot read ${configPath()}: ${err instanceof Error ? err.message : err}`);
  }
}

/** The server and token to use: BERTH_URL / BERTH_TOKEN win over the stored login. @returns {Promise<Config>} */
export async function loadConfig() {
  const stored = await readStored();
  const url = process.env.BERTH_URL || stored.url;
  const token = process.env.BERTH_TOKEN || stored.token;
  if (!url || !token) throw new CliError("Not logged in: run `berth login <url>` or set BERTH_URL and BERTH_TOKEN");
  // The stored team belongs to the stored token only.
  const sameLogin = url === stored.url && token === stored.token;
  return { url, token, ...(sameLogin && stored.teamId ? { teamId: stored.teamId, teamName: stored.teamName } : {}) };
}

/** Written readable by its owner only (it holds the token). @param {Config} config */
export async function saveConfig(config) {
  const path = configPath();
  await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}
