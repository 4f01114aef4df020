import type { IncomingMessage, ServerResponse } from "node:http";
import type { Deps } from "../deps.ts";
import { domainErrorOf } from "../domain-error-of.ts";
import { receiveDeployHook } from "../webhooks/deploy-hook.ts";
import { receiveGitWebhook, type HookReply } from "../webhooks/receive.ts";
import { receiveStackWebhook } from "../stacks/stack-webhook.ts";

/** Push payloads are small (GitHub lists at most 20 commits); anything larger is refused unread. */
export const MAX_HOOK_BODY = 1024 * 1024;

const GIT_HOOK = /^\/hooks\/git\/([0-9a-f-]{36})$/i;
const STACK_HOOK = /^\/hooks\/stack\/([0-9a-f-]{36})$/i;
const DEPLOY_HOOK = /^\/hooks\/deploy\/([A-Za-z0-9_-]{1,200})$/;

function reply(res: ServerResponse, { status, body }: HookReply): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

class TooLarge extends Error {}

/** The exact bytes of the body (signatures are over these, never over re-serialised JSON). */
function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) return Promise.reject(new TooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 *   POST /hooks/git/:serviceId       push webhooks (GitHub, GitLab, Gitea, Forgejo, Bitbucket)
 *   POST /hooks/stack/:stackId       push webhooks of a git-sourced compose stack
 *   POST /hooks/deploy/:token        the generic deploy hook (body ignored)
 */
export async function handleHooks(deps: Deps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const git = GIT_HOOK.exec(path);
  const deploy = DEPLOY_HOOK.exec(path);
  const stack = STACK_HOOK.exec(path);
  if (!git?.[1] && !deploy?.[1] && !stack?.[1]) return reply(res, { status: 404, body: { error: "No such hook" } });
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    return reply(res, { status: 405, body: { error: "Use POST" } });
  }
  try {
    if (deploy?.[1]) {
      req.resume(); // the body is never read: it cannot change what deploys
      return reply(res, await receiveDeployHook(deps, deploy[1]));
    }
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(req, MAX_HOOK_BODY);
    } catch (err) {
      if (err instanceof TooLarge) return reply(res, { status: 413, body: { error: `The body is larger than ${MAX_HOOK_BODY} bytes` } });
      throw err;
    }
    if (stack?.[1]) return reply(res, await receiveStackWebhook(deps, { stackId: stack[1], headers: req.headers, rawBody }));
    reply(res, await receiveGitWebhook(deps, { serviceId: git?.[1] ?? "", headers: req.headers, rawBody }));
  } catch (err) {
    const domain = domainErrorOf(err);
    if (!domain) throw err;
    reply(res, { status: domain.code === "DATABASE_UNAVAILABLE" ? 503 : 500, body: { error: domain.message } });
  }
}
