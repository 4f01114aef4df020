/**
 * Which backups retention deletes. Only successful backups count toward "keep last N"; failed
 * ones hold no data and go once older than the newest kept one (or past keepDays). With both
 * limits set, a backup is kept only while it satisfies both. PURE.
 */
export interface RetainedBackup {
  id: string;
  status: "running" | "succeeded" | "failed";
  startedAt: Date;
}

export function planBackupRetention<T extends RetainedBackup>(
  backups: T[],
  policy: { keepLast: number | null; keepDays: number | null },
  now: Date,
): T[] {
  if (policy.keepLast === null && policy.keepDays === null) return [];
  const newestFirst = [...backups].filter((b) => b.status !== "running").sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const cutoff = policy.keepDays === null ? null : now.getTime() - policy.keepDays * 86_400_000;
  let kept = 0;
  const doomed: T[] = [];
  for (const b of newestFirst) {
    const tooOld = cutoff !== null && b.startedAt.getTime() < cutoff;
    const beyondCount = policy.keepLast !== null && (b.status !== "succeeded" ? kept >= policy.keepLast : kept + 1 > policy.keepLast);
    if (tooOld || beyondCount) doomed.push(b);
    else if (b.status === "succeeded") kept += 1;
  }
  return doomed;
}
