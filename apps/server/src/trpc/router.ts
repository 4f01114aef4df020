import { router } from "./init.ts";
import { deploymentsRouter } from "./routers/deployments.ts";
import { instanceRouter } from "./routers/instance.ts";
import { meRouter } from "./routers/me.ts";
import { projectsRouter } from "./routers/projects.ts";
import { servicesRouter } from "./routers/services.ts";

export const appRouter = router({
  me: meRouter,
  instance: instanceRouter,
  projects: projectsRouter,
  services: servicesRouter,
  deployments: deploymentsRouter,
});

export type AppRouter = typeof appRouter;
