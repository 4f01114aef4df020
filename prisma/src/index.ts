export { createDb, type Db } from "./client.ts";
export { poolConfigFromUrl } from "./pg-config.ts";
export { listenForNotifications, type NotificationListener, type NotificationListenerOptions } from "./listen.ts";
export * from "../generated/enums.ts";
export type { Prisma } from "../generated/client.ts";
export type {
  User,
  Session,
  Team,
  Membership,
  Project,
  Service,
  Deployment,
  InstanceSettings,
  Release,
  BuildLogLine,
  EnvVar,
  WebhookDelivery,
  NotificationChannel,
  BackupDestination,
  BackupPolicy,
  DatabaseBackup,
  OneOffRun,
  CronJob,
  Stack,
  Server,
} from "../generated/client.ts";
