/**
 * Driver adapter for Prisma's CLI (migrate deploy/diff/dev, db push) on the WASM schema
 * engine, so migrations run with no network. Works around the known defects of
 * @prisma/adapter-pg 6.19 under the schema engine (see shared environment notes):
 *  1. introspection reads `name`/`"char"` columns, which the adapter rejects: report them
 *     as text / text[];
 *  2. the shadow database is created from discrete fields and dropped (FORCE) after its
 *     pool is closed;
 *  3. scripts are sent as one query instead of being split on `;`;
 *  4. pools exit on idle so the CLI does not hang on open timers.
 */
import { PrismaPg } from "@prisma/adapter-pg-migrate";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { randomUUID } from "node:crypto";
import { poolConfigFromUrl } from "./pg-config.ts";

const TEXT = 25;
const TEXT_ARRAY = 1009;
const REMAPPED_TYPES: Record<number, number> = { 18: TEXT, 19: TEXT, 1002: TEXT_ARRAY, 1003: TEXT_ARRAY };

const parseTextArray = pg.types.getTypeParser(TEXT_ARRAY as never);
pg.types.setTypeParser(1002 as never, parseTextArray);
pg.types.setTypeParser(1003 as never, parseTextArray);

interface QueryResultLike {
  fields: { dataTypeID: number }[];
}
interface Queryable {
  performIO(query: unknown): Promise<QueryResultLike | QueryResultLike[]>;
}
interface ScriptRunner {
  underlyingDriver(): pg.Pool;
  executeScript(script: string): Promise<void>;
}

const patchedPrototypes = new WeakSet<object>();

/** Remap type ids on the shared queryable prototype: covers the adapter and its transactions. */
function patchQueryable(adapter: object): void {
  let proto = Object.getPrototypeOf(adapter) as object | null;
  while (proto && !Object.hasOwn(proto, "performIO")) proto = Object.getPrototypeOf(proto) as object | null;
  if (!proto || patchedPrototypes.has(proto)) return;
  patchedPrototypes.add(proto);
  const target = proto as Queryable;
  const performIO = target.performIO;
  target.performIO = async function (this: Queryable, query: unknown) {
    const result = await performIO.call(this, query);
    // A multi-statement script answers with one result per statement.
    for (const part of Array.isArray(result) ? (result as QueryResultLike[]) : [result]) {
      for (const field of part.fields) {
        field.dataTypeID = REMAPPED_TYPES[field.dataTypeID] ?? field.dataTypeID;
      }
    }
    return result;
  };
}

function patch(adapter: SqlDriverAdapter): SqlDriverAdapter {
  patchQueryable(adapter);
  const target = adapter as unknown as ScriptRunner;
  target.executeScript = async (script) => {
    await target.underlyingDriver().query(script);
  };
  return adapter;
}

async function adminQuery(config: pg.PoolConfig, sql: string): Promise<void> {
  const client = new pg.Client({ ...config, database: config.database });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function migrateAdapter(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const config: pg.PoolConfig = { ...poolConfigFromUrl(databaseUrl), allowExitOnIdle: true, idleTimeoutMillis: 200 };
  const factory = new PrismaPg(config);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => {
      const database = `berth_shadow_${randomUUID().replaceAll("-", "")}`;
      await adminQuery(config, `CREATE DATABASE "${database}"`);
      const adapter = patch(await new PrismaPg({ ...config, database }).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await adminQuery(config, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}
