import type { Db } from "@berth/db";
import type { Log } from "../log.ts";
import { redact, redactionNeedles } from "../secrets/redaction.ts";
import type { DeploymentEvents, DeploymentLogLine } from "./events.ts";

const FLUSH_MS = 100;
const MAX_BATCH = 5000;
const MAX_LINE = 8192;

export interface LogSinkOptions {
  db: Db;
  log: Log;
  events: DeploymentEvents;
  deploymentId: string;
  /** Secret values to mask in every line, also in their base64 forms (tokens, keys, secret variables). */
  redact?: string[];
  /** First sequence number (continue after lines already stored). */
  firstSeq?: number;
}

/**
 * Appends a deployment's log lines durably: numbered in order, inserted in batches (one
 * multi-row INSERT of up to 5000 rows per ~100 ms), so appending costs the same at line 10
 * as at line 100k.
 * Lines are published to live viewers only after they are stored.
 */
export class BuildLogSink {
  private seq: number;
  private pending: DeploymentLogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;
  private readonly needles: string[];

  constructor(private readonly options: LogSinkOptions) {
    this.seq = options.firstSeq ?? 0;
    this.needles = redactionNeedles(options.redact ?? []);
  }

  write(stream: DeploymentLogLine["stream"], text: string): void {
    const clean = redact(text, this.needles).slice(0, MAX_LINE);
    this.pending.push({ deploymentId: this.options.deploymentId, seq: this.seq++, stream, text: clean, time: new Date().toISOString() });
    if (this.pending.length >= MAX_BATCH) this.flushSoon(0);
    else this.flushSoon(FLUSH_MS);
  }

  /** Mask this deployment's secrets in text stored elsewhere (e.g. the failure reason). */
  redact(text: string): string {
    return redact(text, this.needles);
  }

  system(text: string): void {
    this.write("system", text);
  }

  /** Store everything written so far. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lines = this.pending;
    this.pending = [];
    // At most MAX_BATCH rows per INSERT: a burst can queue far more before the timer fires.
    for (let i = 0; i < lines.length; i += MAX_BATCH) {
      const batch = lines.slice(i, i + MAX_BATCH);
      this.chain = this.chain.then(() => this.store(batch));
    }
    return this.chain;
  }

  get storeFailures(): number {
    return this.failures;
  }

  private flushSoon(ms: number): void {
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  private async store(batch: DeploymentLogLine[]): Promise<void> {
    try {
      // One multi-row INSERT with five array parameters, whatever the batch size.
      await this.options.db.$executeRaw`
        INSERT INTO build_log_line ("deploymentId", seq, stream, text, time)
        SELECT ${this.options.deploymentId}, s, st::"LogStream", tx, tm
        FROM unnest(${batch.map((l) => l.seq)}::int[], ${batch.map((l) => l.stream)}::text[], ${batch.map((l) => l.text)}::text[], ${batch.map((l) => l.time)}::timestamp[]) AS u(s, st, tx, tm)`;
      this.options.events.publishLines(this.options.deploymentId, batch);
    } catch (err) {
      // A lost batch must not stall the deployment; count it so the caller can report it.
      this.failures += batch.length;
      this.options.log.error(
        { deploymentId: this.options.deploymentId, lines: batch.length, err: String(err) },
        "could not store build log lines",
      );
    }
  }
}
