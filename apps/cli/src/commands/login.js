import { createInterface } from "node:readline/promises";
import { Client } from "../client.js";
import { saveConfig } from "../config.js";
import { CliError } from "../errors.js";
import { printJson } from "../output.js";

/** The token from BERTH_TOKEN, a pipe, or a prompt that does not echo it (never a process argument). */
async function readToken() {
  if (process.env.BERTH_TOKEN) return process.env.BERTH_TOKEN;
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    return text.trim();
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write("API token (Settings, API tokens): ");
  // Mute the echo of what is typed.
  const out = /** @type {{ _writeToOutput?: (s: string) => void }} */ (/** @type {unknown} */ (rl));
  out._writeToOutput = () => undefined;
  const token = await rl.question("");
  rl.close();
  process.stderr.write("\n");
  return token.trim();
}

/** @param {string} url @param {{ json?: boolean }} opts */
export async function login(url, opts) {
  const token = await readToken();
  if (!token) throw new CliError("No token given: set BERTH_TOKEN, pipe it in, or type it at the prompt");
  const client = new Client(url, token);
  const me = await client.request("GET", "/token");
  const path = await saveConfig({ url: client.url, token, teamId: me.team.id, teamName: me.team.name });
  if (opts.json) return printJson({ url: client.url, team: me.team, scope: me.scope, user: me.user, config: path });
  console.log(`Logged in to ${client.url} as ${me.user.email ?? me.user.id}: team ${me.team.name}, ${me.scope} scope. Saved to ${path}`);
}
