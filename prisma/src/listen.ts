import pg from "pg";
import { poolConfigFromUrl } from "./pg-config.ts";

export interface NotificationListenerOptions {
  databaseUrl: string;
  /** A Postgres identifier ([a-z_][a-z0-9_]*). */
  channel: string;
  onNotification: (payload: string) => void;
  /** A lost connection (reconnected after `retryMs`) or a failed LISTEN. */
  onError: (err: Error) => void;
  /** Called after every successful LISTEN (first and after a reconnect: notifications in between are lost). */
  onListening?: () => void;
  retryMs?: number;
}

export interface NotificationListener {
  close(): Promise<void>;
}

/**
 * A dedicated connection that LISTENs on one channel and reconnects when it drops.
 * (Prisma's pool cannot LISTEN; this is the one place a raw pg client is held open.)
 */
export function listenForNotifications(options: NotificationListenerOptions): NotificationListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`invalid channel name ${options.channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ ...poolConfigFromUrl(options.databaseUrl), application_name: "berth-listen" });
    client = next;
    next.on("notification", (n) => {
      if (n.channel === options.channel) options.onNotification(n.payload ?? "");
    });
    next.on("error", (err) => lost(next, err));
    next.on("end", () => lost(next, new Error("the LISTEN connection ended")));
    try {
      await next.connect();
      await next.query(`LISTEN ${options.channel}`);
      options.onListening?.();
    } catch (err) {
      lost(next, err instanceof Error ? err : new Error(String(err)));
    }
  };

  const lost = (which: pg.Client, err: Error): void => {
    if (closed || client !== which) return;
    client = null;
    options.onError(err);
    which.end().catch((endErr: unknown) => options.onError(endErr instanceof Error ? endErr : new Error(String(endErr))));
    retry = setTimeout(() => void connect(), options.retryMs ?? 1000);
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end();
    },
  };
}
