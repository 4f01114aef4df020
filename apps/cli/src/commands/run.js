import { setTimeout as sleep } from "node:timers/promises";
import { CliError, ExitCode } from "../errors.js";
import { printJson } from "../output.js";
import { fullName, serviceSession } from "../session.js";

const POLL_MS = 500;

/** @typedef {{ status: string; exitCode: number | null; error: string | null; durationMs: number | null; text: string; len: number }} RunSlice */

/**
 * `berth run <service> -- <cmd...>`: the command in a new container of the live release (like
 * `heroku run`), its output printed as it comes (polled twice a second), and the command's own
 * exit code as ours. Ctrl-C cancels the run on the server before exiting.
 * @param {string} name @param {string[]} argv @param {{ timeout?: string; json?: boolean }} opts
 */
export async function runCommand(name, argv, opts) {
  if (argv.length === 0) throw new CliError("Give the command after --, e.g. berth run web -- npm run migrate");
  const { client, service } = await serviceSession(name);
  const body = { argv, ...(opts.timeout !== undefined ? { timeoutS: Number(opts.timeout) } : {}) };
  /** @type {{ runId: string }} */
  const { runId } = await client.request("POST", `/services/${service.id}/runs`, body);
  if (!opts.json) process.stderr.write(`Running on ${fullName(service)} (run ${runId})\n`);

  let cancelled = false;
  const cancel = () => {
    if (cancelled) process.exit(130);
    cancelled = true;
    process.stderr.write("Cancelling the run (Ctrl-C again to leave it running)\n");
    client.request("POST", `/services/${service.id}/runs/${runId}/cancel`, {}).catch(() => undefined);
  };
  process.on("SIGINT", cancel);
  try {
    let from = 0;
    /** @type {RunSlice} */
    let slice;
    for (;;) {
      slice = await client.request("GET", `/services/${service.id}/runs/${runId}/output?from=${from}`);
      if (slice.text) (opts.json ? process.stderr : process.stdout).write(slice.text);
      from = slice.len;
      if (slice.status !== "running") break;
      await sleep(POLL_MS);
    }
    const { text: _text, len: _len, ...result } = slice;
    if (opts.json) printJson({ runId, ...result });
    if (slice.status === "succeeded") return;
    if (slice.exitCode !== null && slice.status === "failed") throw new ExitCode(slice.exitCode);
    throw new CliError(`Run ${slice.status.replace("_", " ")}${slice.error ? `: ${slice.error}` : ""}`);
  } finally {
    process.off("SIGINT", cancel);
  }
}
