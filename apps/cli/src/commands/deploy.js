import { setTimeout as sleep } from "node:timers/promises";
import { CliError } from "../errors.js";
import { printJson } from "../output.js";
import { fullName, serviceSession } from "../session.js";

const TERMINAL = new Set(["succeeded", "failed", "cancelled", "superseded", "timed_out"]);
const POLL_MS = 1000;

/**
 * Print the deployment's log as it grows until it ends; succeed only if it succeeded.
 * With --json the log goes to stderr and the final deployment to stdout.
 * @param {import("../client.js").Client} client @param {string} deploymentId @param {{ json?: boolean }} opts
 */
export async function followDeployment(client, deploymentId, opts) {
  let afterSeq = -1;
  const print = (/** @type {string} */ line) => (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
  const drain = async () => {
    for (;;) {
      /** @type {{ seq: number; text: string }[]} */
      const lines = await client.request("GET", `/deployments/${deploymentId}/log?afterSeq=${afterSeq}&limit=1000`);
      for (const line of lines) print(line.text);
      if (lines.length === 0) return;
      afterSeq = lines[lines.length - 1]?.seq ?? afterSeq;
    }
  };
  for (;;) {
    // Status first, then the log: every line is stored before a deployment is marked ended.
    const deployment = await client.request("GET", `/deployments/${deploymentId}`);
    await drain();
    if (TERMINAL.has(deployment.status)) {
      if (opts.json) printJson(deployment);
      if (deployment.status !== "succeeded")
        throw new CliError(`Deployment ${deployment.status}: ${deployment.error ?? "no reason recorded"}`);
      if (!opts.json) console.log(`Deployment succeeded${deployment.release ? `: release #${deployment.release.number} is live` : ""}`);
      return;
    }
    await sleep(POLL_MS);
  }
}

/** @param {string} name @param {{ wait?: boolean; json?: boolean }} opts */
export async function deploy(name, opts) {
  const { client, service } = await serviceSession(name);
  const { deploymentId } = await client.request("POST", `/services/${service.id}/deploy`);
  if (!opts.wait)
    return opts.json ? printJson({ deploymentId }) : console.log(`Deploying ${fullName(service)}: deployment ${deploymentId} queued`);
  if (!opts.json) console.log(`Deploying ${fullName(service)} (deployment ${deploymentId})`);
  await followDeployment(client, deploymentId, opts);
}

/**
 * Roll back to a retained release: the one before the live one, or `--to <number>`.
 * @param {string} name @param {{ to?: string; wait?: boolean; json?: boolean }} opts
 */
export async function rollback(name, opts) {
  const { client, service } = await serviceSession(name);
  /** @type {{ id: string; number: number; live: boolean }[]} */
  const releases = await client.request("GET", `/services/${service.id}/releases`);
  const liveIndex = releases.findIndex((r) => r.live);
  const target = opts.to !== undefined ? releases.find((r) => String(r.number) === opts.to) : releases[liveIndex + 1];
  if (!target) {
    const kept = releases.map((r) => `#${r.number}${r.live ? " (live)" : ""}`).join(", ") || "none";
    throw new CliError(
      opts.to !== undefined
        ? `No retained release #${opts.to} of ${fullName(service)}; retained: ${kept}`
        : `${fullName(service)} has no earlier retained release to roll back to; retained: ${kept}`,
    );
  }
  const { deploymentId } = await client.request("POST", `/releases/${target.id}/rollback`);
  if (!opts.wait)
    return opts.json
      ? printJson({ deploymentId, release: target.number })
      : console.log(`Rolling ${fullName(service)} back to release #${target.number}: deployment ${deploymentId} queued`);
  if (!opts.json) console.log(`Rolling ${fullName(service)} back to release #${target.number} (deployment ${deploymentId})`);
  await followDeployment(client, deploymentId, opts);
}
