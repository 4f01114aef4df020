import { pino, type Logger } from "pino";

export type Log = Logger;

/** Structured JSON logs on stdout. Secrets are redacted by path wherever they could appear. */
export function createLog(level: string): Log {
  return pino({
    level,
    base: { svc: "berth" },
    redact: {
      paths: [
        "password",
        "*.password",
        "secret",
        "*.secret",
        "env",
        "*.env",
        "headers.cookie",
        "*.headers.cookie",
        "headers.authorization",
      ],
      censor: "[redacted]",
    },
  });
}
