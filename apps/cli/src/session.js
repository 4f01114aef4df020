import { Client } from "./client.js";
import { loadConfig } from "./config.js";
import { CliError } from "./errors.js";

/** @typedef {{ id: string; name: string; kind: string; desiredState: string; project: { id: string; name: string }; latestDeployment: { id: string; status: string; error: string | null; createdAt: string } | null }} Service */

/** A logged-in client and the token's team. */
export async function session() {
  const config = await loadConfig();
  const client = new Client(config.url, config.token);
  const teamId = config.teamId ?? (await client.request("GET", "/token")).team.id;
  return { client, teamId };
}

/** @param {Service} s */
export const fullName = (s) => `${s.project.name}/${s.name}`;

/**
 * A service named as in the dashboard: `project/service`, or the service name alone when only
 * one project has it.
 * @param {Service[]} services @param {string} name
 */
export function findService(services, name) {
  const matches = name.includes("/") ? services.filter((s) => fullName(s) === name) : services.filter((s) => s.name === name);
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1)
    throw new CliError(`"${name}" is in several projects (${matches.map(fullName).join(", ")}): name it as project/service`);
  const known = services.map(fullName);
  throw new CliError(`Unknown service "${name}". ${known.length > 0 ? `Services: ${known.join(", ")}` : "This team has no services yet."}`);
}

/** @param {string} name @returns {Promise<{ client: Client; teamId: string; service: Service }>} */
export async function serviceSession(name) {
  const { client, teamId } = await session();
  /** @type {Service[]} */
  const services = await client.request("GET", `/teams/${teamId}/services`);
  return { client, teamId, service: findService(services, name) };
}
