import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@berth/server/router";

/** The typed tRPC hooks for the dashboard: `const trpc = useTRPC(); useQuery(trpc.me.get.queryOptions())`. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
