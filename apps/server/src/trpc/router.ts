import { router } from "./init.ts";
import { auditRouter } from "./routers/audit.ts";
import { backupsRouter } from "./routers/backups.ts";
import { databasesRouter } from "./routers/databases.ts";
import { deploymentsRouter } from "./routers/deployments.ts";
import { domainsRouter } from "./routers/domains.ts";
import { envRouter } from "./routers/env.ts";
import { hooksRouter } from "./routers/hooks.ts";
import { notificationsRouter } from "./routers/notifications.ts";
import { oneOffsRouter } from "./routers/one-offs.ts";
import { cronJobsRouter } from "./routers/cron-jobs.ts";
import { instanceRouter } from "./routers/instance.ts";
import { invitationsRouter } from "./routers/invitations.ts";
import { meRouter } from "./routers/me.ts";
import { metricsRouter } from "./routers/metrics.ts";
import { overviewRouter } from "./routers/overview.ts";
import { projectsRouter } from "./routers/projects.ts";
import { previewsRouter } from "./routers/previews.ts";
import { registriesRouter } from "./routers/registries.ts";
import { servicesRouter } from "./routers/services.ts";
import { serversRouter } from "./routers/servers.ts";
import { clusterRouter } from "./routers/cluster.ts";
import { stacksRouter } from "./routers/stacks.ts";
import { teamsRouter } from "./routers/teams.ts";
import { tokensRouter } from "./routers/tokens.ts";

export const appRouter = router({
  me: meRouter,
  instance: instanceRouter,
  servers: serversRouter,
  cluster: clusterRouter,
  teams: teamsRouter,
  invitations: invitationsRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  projects: projectsRouter,
  registries: registriesRouter,
  services: servicesRouter,
  databases: databasesRouter,
  backups: backupsRouter,
  stacks: stacksRouter,
  deployments: deploymentsRouter,
  domains: domainsRouter,
  env: envRouter,
  hooks: hooksRouter,
  previews: previewsRouter,
  notifications: notificationsRouter,
  overview: overviewRouter,
  metrics: metricsRouter,
  oneOffs: oneOffsRouter,
  cronJobs: cronJobsRouter,
});

export type AppRouter = typeof appRouter;
