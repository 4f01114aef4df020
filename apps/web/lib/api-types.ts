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
export type ServiceEvent = Outputs["services"]["events"][number];
export type CreateServiceInput = Inputs["services"]["create"];
export type TeamRole = Team["role"];
export type Member = Outputs["teams"]["members"][number];
export type Invitation = Outputs["invitations"]["list"][number];
export type ApiToken = Outputs["tokens"]["list"][number];
export type SessionRow = Outputs["me"]["sessions"][number];
export type AuditEvent = Outputs["audit"]["list"][number];
export type InstanceUser = Outputs["instance"]["users"][number];
export type ServerItem = Outputs["servers"]["list"][number];
export type DomainRow = Outputs["domains"]["list"][number];
export type DomainChecks = Outputs["domains"]["check"];
