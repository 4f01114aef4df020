/**
 * The databases Berth creates in one step: each is a TCP service of the project with a volume
 * at its data directory and generated credentials (sealed variables). PURE.
 */
export const DATABASE_ENGINES = ["postgresql", "mariadb", "redis"] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/**
 * How a restore puts a backup back:
 * - `stdin`: the file streams into `argv`'s stdin in the container. `transactional` says whether
 *   a failure midway rolls everything back; when it does not, `section` is a line of the dump
 *   that starts a part (a table), so a failure can name the part it stopped in.
 * - `rdb-file`: Redis loads a snapshot file only when it starts: the file is staged in the data
 *   directory, checked with redis-check-rdb, then swapped in and the container restarted
 *   (restore-redis.ts).
 */
export type RestoreRecipe =
  { kind: "stdin"; argv(vars: Record<string, string>): string[]; transactional: boolean; section?: RegExp } | { kind: "rdb-file" };

/**
 * How to take a backup out of a running container and put one back: argv arrays run through
 * the engine's exec (no shell), credentials only in the exec's environment. The dump is written
 * to stdout.
 */
export interface BackupRecipe {
  /** File name extension of a dump. */
  extension: string;
  /** The exec's environment, from the service's resolved variables (credentials go here, never argv). */
  env(vars: Record<string, string>): Record<string, string>;
  dump(vars: Record<string, string>): string[];
  /** Text a complete dump ends with (in its last KiB): checked after a backup and before a restore. */
  completeMarker?: string;
  restore: RestoreRecipe;
}

export interface EngineRecipe {
  /** Official image, used unless the user names another. */
  defaultImage: string;
  port: number;
  dataDir: string;
  /** A start command line (split like a shell would; no user input in it), when the image's default does not do. */
  command?: string;
  /** The variable another service refers to for a connection (`${{svc.NAME}}`). */
  urlVariable: string;
  /** The service's variables; `secret` ones are write-only after saving. `secret()` makes a new password each call. */
  variables(service: string, secret: () => string): { name: string; value: string; secret: boolean }[];
  backup: BackupRecipe;
}

const pgUser = (vars: Record<string, string>) => vars.POSTGRES_USER || "postgres";
const pgDatabase = (vars: Record<string, string>) => vars.POSTGRES_DB || pgUser(vars);
const mariaUser = (vars: Record<string, string>) => vars.MARIADB_USER || "root";
const mariaPassword = (vars: Record<string, string>) => (vars.MARIADB_USER ? vars.MARIADB_PASSWORD : vars.MARIADB_ROOT_PASSWORD) ?? "";

/**
 * The connection URL refers to the service's own variables (`${{svc.NAME}}`, resolved at each
 * deploy): another service uses `${{svc.DATABASE_URL}}`, and the password stays in one place.
 */
export const ENGINE_RECIPES: Record<DatabaseEngine, EngineRecipe> = {
  postgresql: {
    defaultImage: "postgres:16",
    port: 5432,
    dataDir: "/var/lib/postgresql/data",
    urlVariable: "DATABASE_URL",
    variables: (s, secret) => [
      { name: "POSTGRES_USER", value: "app", secret: false },
      { name: "POSTGRES_PASSWORD", value: secret(), secret: true },
      { name: "POSTGRES_DB", value: "app", secret: false },
      {
        name: "DATABASE_URL",
        value: `postgresql://\${{${s}.POSTGRES_USER}}:\${{${s}.POSTGRES_PASSWORD}}@${s}:5432/\${{${s}.POSTGRES_DB}}`,
        secret: false,
      },
    ],
    // Over the container's own socket (no network); the password too, for images that do not trust it.
    backup: {
      extension: "pgdump",
      env: (vars) => ({
        PGUSER: pgUser(vars),
        PGDATABASE: pgDatabase(vars),
        ...(vars.POSTGRES_PASSWORD ? { PGPASSWORD: vars.POSTGRES_PASSWORD } : {}),
      }),
      dump: () => ["pg_dump", "--format=custom", "--no-password"],
      // One transaction: a corrupt or truncated archive rolls everything back (the database is unchanged).
      restore: {
        kind: "stdin",
        transactional: true,
        argv: (vars) => [
          "pg_restore",
          "--single-transaction",
          "--exit-on-error",
          "--clean",
          "--if-exists",
          "--no-owner",
          "--no-password",
          "--dbname",
          pgDatabase(vars),
        ],
      },
    },
  },
  mariadb: {
    defaultImage: "mariadb:11",
    port: 3306,
    dataDir: "/var/lib/mysql",
    urlVariable: "DATABASE_URL",
    variables: (s, secret) => [
      { name: "MARIADB_USER", value: "app", secret: false },
      { name: "MARIADB_PASSWORD", value: secret(), secret: true },
      { name: "MARIADB_DATABASE", value: "app", secret: false },
      { name: "MARIADB_ROOT_PASSWORD", value: secret(), secret: true },
      {
        name: "DATABASE_URL",
        value: `mysql://\${{${s}.MARIADB_USER}}:\${{${s}.MARIADB_PASSWORD}}@${s}:3306/\${{${s}.MARIADB_DATABASE}}`,
        secret: false,
      },
    ],
    // As the application's user over the container's socket; the client tools read MYSQL_PWD.
    backup: {
      extension: "sql",
      env: (vars) => ({ MYSQL_PWD: mariaPassword(vars) }),
      // One consistent snapshot (InnoDB) without locking writers; the database's routines, triggers and events too.
      dump: (vars) => [
        "mariadb-dump",
        `--user=${mariaUser(vars)}`,
        "--single-transaction",
        "--routines",
        "--triggers",
        "--events",
        "--hex-blob",
        "--",
        vars.MARIADB_DATABASE || "app",
      ],
      // mariadb-dump writes this comment last, only when it finished.
      completeMarker: "-- Dump completed",
      // DDL commits implicitly in MariaDB: a failure midway cannot be rolled back, so the dump is
      // verified whole before it runs and a failure names the table it stopped in.
      restore: {
        kind: "stdin",
        transactional: false,
        section: /^-- Table structure for table `(.+)`$/,
        argv: (vars) => ["mariadb", `--user=${mariaUser(vars)}`, "--batch", "--", vars.MARIADB_DATABASE || "app"],
      },
    },
  },
  redis: {
    defaultImage: "redis:7",
    port: 6379,
    dataDir: "/data",
    // The official image takes no password variable: the shell (a fixed script, no user input)
    // hands `requirepass` from $REDIS_PASSWORD to redis-server on stdin, its config file ("-"),
    // in a here-document, through the image's entry point (which drops root). The password is in
    // no process's arguments, and with exec redis-server stays PID 1 (a stop saves and exits).
    command: "sh -c 'exec docker-entrypoint.sh redis-server - <<EOF\nrequirepass \"$REDIS_PASSWORD\"\nEOF'",
    urlVariable: "REDIS_URL",
    variables: (s, secret) => [
      { name: "REDIS_PASSWORD", value: secret(), secret: true },
      { name: "REDIS_URL", value: `redis://default:\${{${s}.REDIS_PASSWORD}}@${s}:6379`, secret: false },
    ],
    // An RDB snapshot over the replication protocol (redis-cli --rdb), to stdout; redis-cli reads REDISCLI_AUTH.
    backup: {
      extension: "rdb",
      env: (vars): Record<string, string> => (vars.REDIS_PASSWORD ? { REDISCLI_AUTH: vars.REDIS_PASSWORD } : {}),
      dump: () => ["redis-cli", "--rdb", "-"],
      restore: { kind: "rdb-file" },
    },
  },
};
