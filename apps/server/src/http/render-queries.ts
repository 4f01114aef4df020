import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { callTRPCProcedure, getTRPCErrorFromUnknown } from "@trpc/server";
import type { Auth } from "../auth/auth.ts";
import { CLIENT_IP_HEADER, stampClientIp } from "../auth/client-ip.ts";
import type { Deps } from "../deps.ts";
import { contextOf } from "../trpc/context.ts";
import { appRouter } from "../trpc/router.ts";

/** A tRPC query the dashboard's server render asks for: its path ("overview.team") and input. */
export interface RenderQuery {
  path: string;
  input?: unknown;
}

/** What the query answered, as the browser would have read it over /trpc (plain JSON), or its error code. */
export type RenderResult = { ok: true; data: unknown } | { ok: false; code: string };

/** The page request's headers that the render passes on: the session cookie, and the headers stamped below. */
export type RenderHeaders = Record<string, string | undefined>;

/** Null when no app of this process forwarded the request (the page then loads its data in the browser). */
export type RenderQueries = (headers: RenderHeaders, queries: RenderQuery[]) => Promise<RenderResult[] | null>;

/** Names the app (of the ones in this process) that forwarded a page request to Next; always overwritten. */
export const RENDER_APP_HEADER = "x-berth-render-app";

type AppQueries = (headers: RenderHeaders, queries: RenderQuery[]) => Promise<RenderResult[]>;

declare global {
  /**
   * The dashboard's server components run in this process but are built apart (apps/web cannot
   * import the control plane), so they find the query runner here. It passes each request to the
   * app that forwarded it (RENDER_APP_HEADER): a test process may run several.
   */
  var __berthRenderQueries: RenderQueries | undefined;
  /** The apps by id; global too, so that every copy of this module (test isolation) sees them all. */
  var __berthRenderApps: Map<string, AppQueries> | undefined;
}

/**
 * Runs the dashboard's first queries in the page request itself, so a page's data comes with its
 * HTML instead of after its scripts: as the caller of the page (its session cookie), through the
 * same procedures, access checks and error conversion as /trpc. Queries only: a render never
 * changes anything. Returns the app's id for RENDER_APP_HEADER and a function that unregisters it.
 */
export function provideRenderQueries(deps: Deps, auth: Auth): { appId: string; stop: () => void } {
  const appId = randomUUID();
  const run: AppQueries = async (headers, queries) => {
    // Only what a browser's own /trpc request would authenticate with: the session cookie.
    const ctx = await contextOf(deps, auth, { cookie: headers.cookie }, headers[CLIENT_IP_HEADER] ?? "");
    return Promise.all(
      queries.map(async ({ path, input }): Promise<RenderResult> => {
        try {
          // type "query": any other path answers NOT_FOUND, as a GET of /trpc would.
          const output = await callTRPCProcedure({
            router: appRouter,
            path,
            type: "query",
            ctx,
            getRawInput: () => Promise.resolve(input),
            signal: undefined,
            batchIndex: 0,
          });
          // The HTTP adapter answers JSON.stringify(output): the same shape here (dates as strings).
          return { ok: true, data: JSON.parse(JSON.stringify(output) ?? "null") as unknown };
        } catch (err) {
          const error = getTRPCErrorFromUnknown(err);
          if (error.code === "INTERNAL_SERVER_ERROR") deps.log.error({ path, err: error.cause ?? error }, "procedure failed (page render)");
          return { ok: false, code: error.code };
        }
      }),
    );
  };
  const apps = (globalThis.__berthRenderApps ??= new Map());
  apps.set(appId, run);
  globalThis.__berthRenderQueries ??= (headers, queries) =>
    globalThis.__berthRenderApps?.get(headers[RENDER_APP_HEADER] ?? "")?.(headers, queries) ?? Promise.resolve(null);
  return { appId, stop: () => void apps.delete(appId) };
}

/** Before a page request goes to Next: which app renders it, and the client's address as computed here. */
export function stampRenderHeaders(req: IncomingMessage, deps: Deps, appId: string): void {
  req.headers[RENDER_APP_HEADER] = appId;
  stampClientIp(req, deps.env);
}
