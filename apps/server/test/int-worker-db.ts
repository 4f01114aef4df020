/**
 * First setup file of the parallel integration project: this worker's own database (made by
 * int-databases.ts) becomes DATABASE_URL before the test file, its harness or the processes it
 * starts read it. Idempotent: a worker that runs several files keeps the same database.
 */
import { workerDatabaseUrl } from "./int-databases.ts";

const poolId = process.env.VITEST_POOL_ID;
const runDatabase = (process.env.BERTH_TEST_RUN_DATABASE_URL ??= process.env.DATABASE_URL);
if (runDatabase && poolId) process.env.DATABASE_URL = workerDatabaseUrl(runDatabase, poolId);
