import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@berth/server/router";

export type Overview = inferRouterOutputs<AppRouter>["overview"]["team"];
export type OverviewService = Overview["services"][number];
