import { QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "@berth/server/router";
import { errorCode, isUnauthorized } from "./errors";
import { fetchWithTimeout } from "./http";

/** Codes that will not change on a retry: fail fast and show the message instead. */
const FINAL_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST", "CONFLICT", "PARSE_ERROR"]);

export interface QueryClientOptions {
  /** Called when any query fails with UNAUTHORIZED (signed out, session expired). */
  onUnauthorized?: () => void;
}

export function makeQueryClient({ onUnauthorized }: QueryClientOptions = {}): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isUnauthorized(error)) onUnauthorized?.();
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 2_000,
        retry: (failures, error) => failures < 2 && !FINAL_CODES.has(errorCode(error) ?? ""),
      },
      mutations: { retry: false },
    },
  });
}

/** tRPC over HTTP on the same origin as the dashboard (apps/server mounts it at /trpc). */
export function makeTRPCClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: "/trpc", fetch: fetchWithTimeout })],
  });
}
