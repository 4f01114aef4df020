import { setTimeout as sleep } from "node:timers/promises";
import { CliError } from "../errors.js";
import { fullName, serviceSession } from "../session.js";

const POLL_MS = 500;

/** @typedef {{ stream: string; time: string; text: string }} LogLine */

/**
 * The running container's log: the last `--tail` lines, then with -f every new line as it comes
 * (asked for twice a second since the last line's second; lines already printed are skipped).
 * @param {string} name @param {{ follow?: boolean; tail: string; json?: boolean }} opts
 */
export async function logs(name, opts) {
  const { client, service } = await serviceSession(name);
  const print = (/** @type {LogLine} */ line) => console.log(opts.json ? JSON.stringify(line) : line.text);
  /** @type {{ running: boolean; lines: LogLine[] }} */
  const first = await client.request("GET", `/services/${service.id}/logs?tail=${Number(opts.tail)}`);
  if (!first.running && !opts.follow) throw new CliError(`${fullName(service)} has no running container`);
  if (!first.running) process.stderr.write(`${fullName(service)} has no running container yet; waiting for one\n`);
  first.lines.forEach(print);
  if (!opts.follow) return;
  let last = first.lines.at(-1)?.time ?? new Date().toISOString();
  /** Lines printed at exactly `last` (several may share a timestamp). */
  let printedAtLast = new Set(first.lines.filter((l) => l.time === last).map((l) => l.text));
  for (;;) {
    await sleep(POLL_MS);
    const since = Math.floor(Date.parse(last) / 1000);
    /** @type {{ running: boolean; lines: LogLine[] }} */
    const next = await client.request("GET", `/services/${service.id}/logs?since=${since}&tail=5000`);
    for (const line of next.lines) {
      // Engine timestamps share one RFC 3339 format: they order as strings.
      if (line.time < last || (line.time === last && printedAtLast.has(line.text))) continue;
      if (line.time > last) {
        last = line.time;
        printedAtLast = new Set();
      }
      printedAtLast.add(line.text);
      print(line);
    }
  }
}
