// The e2e run's Berth server, restartable the way an operator restarts it: SIGUSR2 stops it
// (SIGTERM, its own graceful shutdown) and starts it again. Each start bumps `generation` in
// the state file (BERTH_E2E_SERVER_STATE) so a test can wait for the new process (server.ts). The server
// runs in this process group (not detached): Playwright's kill of the web server reaches it.
// Plain .mjs: it runs before anything is compiled.
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";

const serverDir = path.resolve(import.meta.dirname, "../../../apps/server");
const stateFile = process.env.BERTH_E2E_SERVER_STATE;
if (!stateFile) throw new Error("BERTH_E2E_SERVER_STATE is not set");

const migrate = spawnSync("npm", ["--prefix", "../..", "run", "-s", "db:migrate"], { cwd: serverDir, stdio: "inherit" });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

let generation = 0;
let child = null;
let restarting = false;
let stopping = false;

function start() {
  generation++;
  // The production build (dist/, made by the build step before the e2e run), as `npm run up` runs it.
  child = spawn("./serve.sh", [], { cwd: serverDir, stdio: "inherit" });
  writeFileSync(stateFile, JSON.stringify({ pid: process.pid, serverPid: child.pid, generation }));
  child.on("exit", (code, signal) => {
    if (restarting && !stopping) {
      restarting = false;
      start();
      return;
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

process.on("SIGUSR2", () => {
  if (restarting || !child) return;
  restarting = true;
  child.kill("SIGTERM");
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    stopping = true;
    child?.kill(signal);
  });
}
start();
