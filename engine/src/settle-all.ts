/**
 * Every promise settled, then their values -- or the first rejection in the order given (not
 * the first to happen). Unlike Promise.all, nothing of a failed half is still under way when
 * its error is reported: a caller that cleans up after the error finds its siblings' engine
 * calls ended.
 */
export async function settleAll<T extends readonly unknown[] | []>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = (await Promise.allSettled(promises)) as PromiseSettledResult<unknown>[];
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
