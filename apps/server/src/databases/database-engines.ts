/**
 * The databases Berth creates in one step: each is a TCP service of the project with a volume
 * at its data directory and generated credentials (sealed variables). PURE.
 */
/** MariaDB and Redis come once their test images exist (each engine is tested for real). */
export const DATABASE_ENGINES = ["postgresql"] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/**
 * How to take a logical dump out of a running container and put one back: argv arrays run
 * through the engine's exec (no shell), credentials only in the exec's environment. The dump
 * is written to stdout; a restore reads it from stdin and must change nothing when it fails.
 */
export interface BackupRecipe {
  /** File name extension of a dump. */
  extension: string;
  /** The exec's environment, from the service's resolved variables (credentials go here, never argv). */
  env(vars: Record<string, string>): Record<string, string>;
  dump(vars: Record<string, string>): string[];
  restore(vars: Record<string, string>): string[];
}

export interface EngineRecipe {
  /** Official image, used unless the user names another. */
  defaultImage: string;
  port: number;
  dataDir: string;
  /** The service's variables; `secret` ones are write-only after saving. */
  variables(service: string, password: string): { name: string; value: string; secret: boolean }[];
  backup: BackupRecipe;
}

const pgUser = (vars: Record<string, string>) => vars.POSTGRES_USER || "postgres";
const pgDatabase = (vars: Record<string, string>) => vars.POSTGRES_DB || pgUser(vars);

/**
 * The connection URL refers to the service's own variables (`${{svc.NAME}}`, resolved at each
 * deploy): another service uses `${{svc.DATABASE_URL}}`, and the password stays in one place.
 */
export const ENGINE_RECIPES: Record<DatabaseEngine, EngineRecipe> = {
  postgresql: {
    defaultImage: "postgres:16",
    port: 5432,
    dataDir: "/var/lib/postgresql/data",
    variables: (s, password) => [
      { name: "POSTGRES_USER", value: "app", secret: false },
      { name: "POSTGRES_PASSWORD", value: password, secret: true },
      { name: "POSTGRES_DB", value: "app", secret: false },
      { name: "DATABASE_URL", value: `postgresql://\${{${s}.POSTGRES_USER}}:\${{${s}.POSTGRES_PASSWORD}}@${s}:5432/\${{${s}.POSTGRES_DB}}`, secret: false },
    ],
    // Over the container's own socket (no network); the password too, for images that do not trust it.
    backup: {
      extension: "pgdump",
      env: (vars) => ({ PGUSER: pgUser(vars), PGDATABASE: pgDatabase(vars), ...(vars.POSTGRES_PASSWORD ? { PGPASSWORD: vars.POSTGRES_PASSWORD } : {}) }),
      dump: () => ["pg_dump", "--format=custom", "--no-password"],
      // One transaction: a corrupt or truncated archive rolls everything back (the database is unchanged).
      restore: (vars) => ["pg_restore", "--single-transaction", "--exit-on-error", "--clean", "--if-exists", "--no-owner", "--no-password", "--dbname", pgDatabase(vars)],
    },
  },
};
