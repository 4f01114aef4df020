/**
 * The databases Berth creates in one step: each is a TCP service of the project with a volume
 * at its data directory and generated credentials (sealed variables). PURE.
 */
/** MariaDB and Redis come once their test images exist (each engine is tested for real). */
export const DATABASE_ENGINES = ["postgresql"] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

export interface EngineRecipe {
  /** Official image, used unless the user names another. */
  defaultImage: string;
  port: number;
  dataDir: string;
  /** The service's variables; `secret` ones are write-only after saving. */
  variables(service: string, password: string): { name: string; value: string; secret: boolean }[];
}

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
  },
};
