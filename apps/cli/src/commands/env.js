import { readFile } from "node:fs/promises";
import { CliError } from "../errors.js";
import { printJson, table } from "../output.js";
import { serviceSession } from "../session.js";

/** @typedef {{ name: string; secret: boolean; buildTime: boolean; runtime: boolean; value: string | null }} EnvVar */

/** A service's variables (a secret's value is never sent by the server), or one variable's value. @param {string} name @param {string | undefined} varName @param {{ json?: boolean }} opts */
export async function envGet(name, varName, opts) {
  const { client, service } = await serviceSession(name);
  /** @type {EnvVar[]} */
  const vars = await client.request("GET", `/services/${service.id}/env`);
  if (varName !== undefined) {
    const found = vars.find((v) => v.name === varName);
    if (!found) throw new CliError(`${name} has no variable ${varName}`);
    if (opts.json) return printJson(found);
    if (found.secret) throw new CliError(`${varName} is a secret: its value is not shown (reveal it in the dashboard as a team admin)`);
    return console.log(found.value);
  }
  if (opts.json) return printJson(vars);
  console.log(
    table([
      ["NAME", "VALUE", "USED AT"],
      ...vars.map((v) => [
        v.name,
        v.secret ? "(secret)" : (v.value ?? ""),
        [v.buildTime && "build", v.runtime && "run"].filter(Boolean).join("+"),
      ]),
    ]),
  );
}

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}

/**
 * NAME=value, or NAME alone to read the value from stdin (keeps a secret out of the process
 * arguments and shell history).
 * @param {string} name @param {string[]} assignments @param {{ secret?: boolean; buildTime?: boolean; json?: boolean }} opts
 */
export async function envSet(name, assignments, opts) {
  const { client, service } = await serviceSession(name);
  if (assignments.filter((a) => !a.includes("=")).length > 1 || (assignments.length > 1 && assignments.some((a) => !a.includes("=")))) {
    throw new CliError("Give NAME=value pairs, or one NAME alone with its value on stdin");
  }
  const set = [];
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    const varName = eq < 0 ? assignment : assignment.slice(0, eq);
    const value = eq < 0 ? await readStdin() : assignment.slice(eq + 1);
    const body = { value, secret: opts.secret ?? false, buildTime: opts.buildTime ?? false, runtime: true };
    await client.request("PUT", `/services/${service.id}/env/${encodeURIComponent(varName)}`, body);
    set.push(varName);
  }
  if (opts.json) return printJson({ set });
  console.log(`Set ${set.join(", ")} on ${name}; deploy to apply`);
}

/** @param {string} name @param {string[]} varNames @param {{ json?: boolean }} opts */
export async function envUnset(name, varNames, opts) {
  const { client, service } = await serviceSession(name);
  for (const varName of varNames) await client.request("DELETE", `/services/${service.id}/env/${encodeURIComponent(varName)}`);
  if (opts.json) return printJson({ unset: varNames });
  console.log(`Removed ${varNames.join(", ")} from ${name}; deploy to apply`);
}

/**
 * A .env file, parsed by the server's one .env parser (the dashboard's import): every line must
 * parse or nothing is written.
 * @param {string} name @param {string} file @param {{ secret?: boolean; buildTime?: boolean; json?: boolean }} opts
 */
export async function envImport(name, file, opts) {
  const text = await readFile(file, "utf8").catch((/** @type {Error} */ err) => {
    throw new CliError(`Cannot read ${file}: ${err.message}`);
  });
  const { client, service } = await serviceSession(name);
  const result = await client.request("POST", `/services/${service.id}/env/import`, {
    text,
    secret: opts.secret ?? false,
    buildTime: opts.buildTime ?? false,
    runtime: true,
  });
  if (opts.json) return printJson(result);
  console.log(`Imported ${result.imported} variables into ${name}; deploy to apply`);
}
