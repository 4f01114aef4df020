import { afterAll, beforeAll, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { cloneSource } from "./clone.ts";
import { checkGitUrl } from "./git-url.ts";

const TOKEN = `tok-${Math.random().toString(36).slice(2)}-secret`;
const seen: string[] = [];
let server: Server;
let url = "";

/** Every command line of every process on the machine. */
function allCommandLines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" && (err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  }
  return out;
}

beforeAll(async () => {
  // A slow "git server": records the Authorization header, answers 401 after a second.
  server = createServer((req, res) => {
    seen.push(String(req.headers.authorization ?? ""));
    setTimeout(() => {
      res.statusCode = 401;
      res.setHeader("WWW-Authenticate", 'Basic realm="x"');
      res.end();
    }, 1000);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/private.git`;
});

afterAll(() => {
  server.close();
});

it("sends the access token to the server but never puts it in any process's arguments or the error", async () => {
  const repo = checkGitUrl(url, { allowLocalSources: true });
  if ("error" in repo) throw new Error(repo.error);
  const lines: string[] = [];
  const clone = cloneSource({
    repo,
    branch: "main",
    auth: { token: TOKEN },
    signal: new AbortController().signal,
    onLine: (_s, l) => lines.push(l),
  });
  const failure = clone.then(
    () => null,
    (err: unknown) => err as Error,
  );
  await new Promise((r) => setTimeout(r, 400)); // git is now waiting on the server
  const gitRunning = allCommandLines().filter((c) => c.includes("private.git"));
  expect(gitRunning.length).toBeGreaterThan(0);
  expect(allCommandLines().filter((c) => c.includes(TOKEN))).toEqual([]);
  const err = await failure;
  expect(err?.message).toMatch(/refused the credentials/);
  expect(seen[0]).toBe(`Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString("base64")}`);
  expect(`${err?.message} ${lines.join("\n")}`).not.toContain(TOKEN);
});
