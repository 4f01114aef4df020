import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@berth/server/router";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type Me = Outputs["me"]["get"];
export type Team = Me["teams"][number];
export type ProjectSummary = Outputs["projects"]["list"][number];
export type ProjectDetail = Outputs["projects"]["get"];
export type ServiceSummary = ProjectDetail["services"][number];
export type ServiceDetail = Outputs["services"]["get"];
export type Deployment = Outputs["deployments"]["list"][number];
export type CreateServiceInput = Inputs["services"]["create"];
