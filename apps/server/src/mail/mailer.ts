import nodemailer from "nodemailer";
import type { Env } from "../config/env.ts";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail over SMTP (BERTH_SMTP_URL). Berth sends only links it made; never secrets of users. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** The SMTP mailer, or null when BERTH_SMTP_URL is unset (links are then shown to copy). */
export function createMailer(env: Pick<Env, "BERTH_SMTP_URL" | "BERTH_MAIL_FROM">): Mailer | null {
  if (!env.BERTH_SMTP_URL) return null;
  const transport = nodemailer.createTransport(env.BERTH_SMTP_URL);
  return {
    async send(mail) {
      await transport.sendMail({ from: env.BERTH_MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
