/**
 * The layout of an instance archive (infra/backup.sh): one gzipped tar whose entries come in
 * this order, so a restore reads it in one pass and knows what it holds before it changes anything.
 */
import { z } from "zod";

export const ARCHIVE_FORMAT = "berth-instance-archive";

export const ENTRY = {
  manifest: "manifest.json",
  /** The configuration file as it was: DATABASE_URL, BERTH_SECRET (the sealed-secret key material) ... */
  config: "berth.env",
  /** pg_dump --format=custom of Berth's database. */
  database: "database.pgdump",
  /** BERTH_PROXY_DATA_DIR: the proxy's certificates, keys and internal CA. */
  proxyDir: "proxy",
  /** BERTH_BACKUP_DIR: database backups written to directory destinations. */
  backupDir: "backups",
  /** `docker save` of every live release's image. */
  images: "images.tar",
} as const;

const volumeSchema = z.object({
  teamId: z.string().min(1),
  projectId: z.string().min(1),
  name: z.string().min(1),
  /** The tar of the volume's files (`volumes/<n>.tar`). */
  entry: z.string().regex(/^volumes\/\d+\.tar$/),
});

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  hostname: z.string(),
  /** Applied migrations of the archived database: a restore needs a checkout that has them all. */
  migrations: z.array(z.string()),
  /** The live releases' image references in images.tar. */
  images: z.array(z.string()),
  /** Live releases whose image was not on the engine (their services need a new deploy after a move). */
  missingImages: z.array(z.string()),
  volumes: z.array(volumeSchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ArchivedVolume = z.infer<typeof volumeSchema>;
