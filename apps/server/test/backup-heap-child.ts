/**
 * Run one backup of a database in a process of its own (started with a small
 * --max-old-space-size by backup-heap.int.test.ts) and print, as one JSON line, the outcome and
 * the process's peak memory: the V8 heap and the Buffers outside it (arrayBuffers).
 *   node --max-old-space-size=48 --import tsx test/backup-heap-child.ts SERVICE_ID
 */
import { runBackup } from "../src/backups/run-backup.ts";
import { testDeps } from "./harness.ts";

const deps = testDeps();
const peak = { heapUsed: 0, arrayBuffers: 0, rss: 0 };
const sample = () => {
  const m = process.memoryUsage();
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  peak.rss = Math.max(peak.rss, m.rss);
};
const timer = setInterval(sample, 50);
try {
  const backup = await runBackup(deps, process.argv[2]!, { trigger: "manual", actor: null });
  sample();
  console.log(JSON.stringify({ status: backup.status, sizeBytes: Number(backup.sizeBytes), peak }));
} finally {
  clearInterval(timer);
  await deps.db.$disconnect();
}
