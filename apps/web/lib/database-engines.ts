/** The databases the "New database" form offers, with their official images and connection URL shapes (the server's recipes: apps/server/src/databases/database-engines.ts). */
export const DATABASE_ENGINES = [
  {
    value: "postgresql",
    label: "PostgreSQL",
    image: "postgres:16",
    urlVariable: "DATABASE_URL",
    url: (host: string) => `postgresql://app:…@${host}:5432/app`,
  },
  {
    value: "mariadb",
    label: "MariaDB",
    image: "mariadb:11",
    urlVariable: "DATABASE_URL",
    url: (host: string) => `mysql://app:…@${host}:3306/app`,
  },
  { value: "redis", label: "Redis", image: "redis:7", urlVariable: "REDIS_URL", url: (host: string) => `redis://default:…@${host}:6379` },
] as const;
export type DatabaseEngineName = (typeof DATABASE_ENGINES)[number]["value"];

export const engineInfo = (engine: string) => DATABASE_ENGINES.find((e) => e.value === engine);
