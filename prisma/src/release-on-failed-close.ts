import { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

const CLOSING_STATEMENT = /^\s*(COMMIT|ROLLBACK)\s*;?\s*$/i;

/**
 * Prisma (6.19, engine type "client") ends an interactive transaction by running COMMIT or
 * ROLLBACK and only then calling the adapter's commit()/rollback(), which hands the pooled
 * connection back. When that statement fails -- the database stopped or restarted while the
 * transaction was open -- the hand-back never happens: the connection stays checked out of
 * the pool for good. Each outage leaks up to one connection per open transaction (the pool
 * has 10), and `$disconnect()` (pool.end(), waiting for every connection) never returns, so
 * a process stopped after an outage never exits. This hands the connection back when the
 * closing statement fails (node-postgres drops a broken one instead of reusing it), at most
 * once per transaction.
 */
export function releaseOnFailedClose(tx: Transaction): Transaction {
  let released = false;
  const handBack = (close: () => Promise<void>) => async () => {
    if (released) return;
    released = true;
    await close();
  };
  const commit = handBack(tx.commit.bind(tx));
  const rollback = handBack(tx.rollback.bind(tx));
  const executeRaw = tx.executeRaw.bind(tx);
  return Object.assign(tx, {
    commit,
    rollback,
    async executeRaw(query: Parameters<Transaction["executeRaw"]>[0]) {
      try {
        return await executeRaw(query);
      } catch (err) {
        // The transaction is over either way (a failed COMMIT ends it too): give the connection back.
        if (CLOSING_STATEMENT.test(query.sql)) await rollback().catch(() => undefined);
        throw err;
      }
    },
  });
}

/** PrismaPg whose transactions give their connection back when their COMMIT/ROLLBACK fails. */
export class ReleasingPrismaPg extends PrismaPg {
  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releaseOnFailedClose(await start(isolationLevel));
    return adapter;
  }
}
