/**
 * Test-only: a git repository served over smart HTTP (`git http-backend` as CGI) on
 * 127.0.0.1, plus a working copy to commit and push changes. child_process is fine here
 * (test code); every command is an argv array.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

export interface GitFixture {
  /** Clone URL, e.g. http://127.0.0.1:PORT/app.git */
  url: string;
  /** The bare repository on disk (for other transports, e.g. the ssh fixture). */
  bareDir: string;
  /**
   * Write files (parent directories made), and symbolic links (name -> target, committed as
   * links), commit and push to `branch` (default main); returns the commit SHA.
   */
  commit(files: Record<string, string>, message: string, branch?: string, symlinks?: Record<string, string>): string;
  /**
   * While on, clones and fetches reach the server and get no answer (a very slow repository
   * host): each is held until `close()`. `held()` counts the requests held so far.
   */
  holdClones(on: boolean): void;
  held(): number;
  close(): Promise<void>;
}

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.test",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.test",
};

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" }).trim();
}

function serveCgi(root: string, hold: { on: boolean; count: number }): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    // The ref advertisement of a clone/fetch: held open, never answered (close() ends it).
    if (hold.on && url.searchParams.get("service") === "git-upload-pack") {
      hold.count++;
      return;
    }
    const child = spawn("git", ["http-backend"], {
      env: {
        ...GIT_ENV,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ""),
        REQUEST_METHOD: req.method ?? "GET",
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_ADDR: "127.0.0.1",
      },
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const [name, ...rest] = line.split(":");
        const value = rest.join(":").trim();
        if (name?.toLowerCase() === "status") status = Number(value.split(" ")[0]);
        else if (name) res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    child.stdout.on("end", () => res.end());
    child.on("error", (err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
}

/** A bare repository `app.git` with one commit of `files` on `main`, served on 127.0.0.1. */
export async function startGitFixture(files: Record<string, string>): Promise<GitFixture> {
  const root = mkdtempSync(path.join(tmpdir(), "berth-git-fixture-"));
  const bare = path.join(root, "app.git");
  const work = path.join(root, "work");
  git(["init", "--quiet", "--bare", "--initial-branch=main", bare], root);
  git(["config", "http.receivepack", "true"], bare);
  git(["init", "--quiet", "--initial-branch=main", work], root);
  git(["remote", "add", "origin", bare], work);
  const commit = (content: Record<string, string>, message: string, branch = "main", symlinks: Record<string, string> = {}): string => {
    git(["checkout", "--quiet", "-B", branch], work);
    for (const [name, data] of Object.entries(content)) {
      mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
      writeFileSync(path.join(work, name), data);
    }
    for (const [name, target] of Object.entries(symlinks)) {
      mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
      symlinkSync(target, path.join(work, name));
    }
    git(["add", "--all"], work);
    git(["commit", "--quiet", "-m", message], work);
    git(["push", "--quiet", "--force", "origin", branch], work);
    return git(["rev-parse", "HEAD"], work);
  };
  commit(files, "initial commit");
  const hold = { on: false, count: 0 };
  const server = serveCgi(root, hold);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/app.git`,
    bareDir: bare,
    commit,
    holdClones: (on) => void (hold.on = on),
    held: () => hold.count,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function helloDockerfile(greeting: string, extra = ""): string {
  return `FROM berth-test/hello:latest\n${extra}ENV GREETING="${greeting}"\n`;
}
