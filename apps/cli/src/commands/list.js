import { printJson, table } from "../output.js";
import { fullName, serviceSession, session } from "../session.js";

/** @param {{ json?: boolean }} opts */
export async function projects(opts) {
  const { client, teamId } = await session();
  const rows = await client.request("GET", `/teams/${teamId}/projects`);
  if (opts.json) return printJson(rows);
  console.log(table([["PROJECT", "SERVICES", "ID"], ...rows.map((/** @type {any} */ p) => [p.name, String(p.serviceCount), p.id])]));
}

/** @param {{ json?: boolean }} opts */
export async function services(opts) {
  const { client, teamId } = await session();
  /** @type {import("../session.js").Service[]} */
  const rows = await client.request("GET", `/teams/${teamId}/services`);
  if (opts.json) return printJson(rows);
  console.log(
    table([
      ["SERVICE", "KIND", "STATE", "LAST DEPLOYMENT"],
      ...rows.map((s) => [fullName(s), s.kind, s.desiredState, s.latestDeployment?.status ?? "never deployed"]),
    ]),
  );
}

/**
 * A service's latest deployment (with its failure reason) and its releases; without a service,
 * every service's state.
 * @param {string | undefined} name @param {{ json?: boolean }} opts
 */
export async function status(name, opts) {
  if (!name) return services(opts);
  const { client, service } = await serviceSession(name);
  /** @type {any[]} */
  const releases = await client.request("GET", `/services/${service.id}/releases`);
  const latest = service.latestDeployment ? await client.request("GET", `/deployments/${service.latestDeployment.id}`) : null;
  if (opts.json) return printJson({ service, latestDeployment: latest, releases });
  console.log(`${fullName(service)} (${service.kind}, ${service.desiredState})`);
  console.log(latest ? `Latest deployment ${latest.id}: ${latest.status}${latest.error ? ` (${latest.error})` : ""}` : "Never deployed");
  const live = releases.find((r) => r.live);
  console.log(live ? `Live release #${live.number}: ${live.image}` : "No live release");
}
