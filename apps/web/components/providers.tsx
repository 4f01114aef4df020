"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { makeQueryClient, makeTRPCClient } from "@/lib/query-client";
import { TRPCProvider } from "@/lib/trpc";

const PUBLIC_PATHS = new Set(["/sign-in", "/sign-up", "/forgot-password", "/reset-password"]);

/** Any query failing with UNAUTHORIZED (signed out, session expired) reloads into /sign-in. */
function toSignIn() {
  const path = window.location.pathname;
  // An invitation link works signed out too: it offers sign-up/sign-in itself.
  if (!PUBLIC_PATHS.has(path) && !path.startsWith("/invite/")) window.location.replace("/sign-in");
}

/** react-query + the typed tRPC client for the whole app. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => makeQueryClient({ onUnauthorized: toSignIn }));
  const [trpcClient] = useState(makeTRPCClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
