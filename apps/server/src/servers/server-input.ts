/**
 * What an instance owner types to add a server: the local socket, a remote engine over TCP+TLS
 * (CA, client certificate and key pasted), or over SSH (Berth generates the key pair). Every
 * bad value is a zod issue at its field; PEM blocks are parsed, not just pattern-matched.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function parses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

const name = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(63, "At most 63 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i, "Letters, digits and dashes, e.g. worker-2");

const host = z
  .string()
  .trim()
  .min(1, "Host is required")
  .refine((h) => isIP(h) !== 0 || HOSTNAME.test(h), "Enter a host name (e.g. node2.example.com) or an IP address");

const port = z.coerce
  .number({ message: "Enter a port number" })
  .int("Enter a port number")
  .min(1, "A port is 1-65535")
  .max(65535, "A port is 1-65535");

const certificate = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Paste the ${what} (PEM)`)
    .max(20_000, "Too long for a certificate")
    .refine(
      (pem) => parses(() => new X509Certificate(pem)),
      `Not a PEM certificate: paste the ${what} starting with -----BEGIN CERTIFICATE-----`,
    );

export const addServerInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("socket"),
    name,
    socketPath: z
      .string()
      .trim()
      .regex(/^\/[^\0]*$/, "An absolute path such as /var/run/docker.sock")
      .max(1024)
      .default("/var/run/docker.sock"),
  }),
  z.object({
    kind: z.literal("tls"),
    name,
    host,
    port: port.default(2376),
    ca: certificate("CA certificate"),
    cert: certificate("client certificate"),
    key: z
      .string()
      .trim()
      .min(1, "Paste the client key (PEM)")
      .max(20_000, "Too long for a key")
      .refine(
        (pem) => parses(() => createPrivateKey(pem)),
        "Not a PEM private key: paste the key starting with -----BEGIN ... PRIVATE KEY-----",
      ),
  }),
  z.object({
    kind: z.literal("ssh"),
    name,
    host,
    port: port.default(22),
    username: z
      .string()
      .trim()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$/i, "A plain user name such as root or deploy"),
  }),
]);
export type AddServerInput = z.infer<typeof addServerInput>;

export const serverIdInput = z.object({ serverId: z.string().uuid("Unknown server") });
