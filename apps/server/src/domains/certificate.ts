import { createPrivateKey, X509Certificate } from "node:crypto";

export interface ParsedCertificate {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

type Result = { ok: true; value: ParsedCertificate } | { ok: false; field: "certPem" | "keyPem"; error: string };

/**
 * Validate an uploaded certificate chain (PEM) and its private key for `hostname`: parses
 * with node:crypto, the leaf must cover the hostname, be valid now, and match the key. PURE
 * (given `now`).
 */
export function parseCustomCertificate(certPem: string, keyPem: string, hostname: string, now = new Date()): Result {
  let leaf: X509Certificate;
  try {
    if (!certPem.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM certificate");
    leaf = new X509Certificate(certPem);
  } catch {
    return { ok: false, field: "certPem", error: "Paste a PEM certificate (-----BEGIN CERTIFICATE-----), leaf first" };
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    return { ok: false, field: "keyPem", error: "Paste the certificate's private key in PEM (unencrypted)" };
  }
  if (!leaf.checkPrivateKey(key)) return { ok: false, field: "keyPem", error: "This private key does not belong to the certificate" };
  if (leaf.checkHost(hostname) === undefined) return { ok: false, field: "certPem", error: `The certificate does not cover ${hostname}` };
  const notAfter = new Date(leaf.validTo);
  if (notAfter.getTime() <= now.getTime())
    return { ok: false, field: "certPem", error: `The certificate expired on ${notAfter.toISOString().slice(0, 10)}` };
  if (new Date(leaf.validFrom).getTime() > now.getTime()) return { ok: false, field: "certPem", error: "The certificate is not valid yet" };
  return { ok: true, value: { certPem: certPem.trim() + "\n", keyPem: keyPem.trim() + "\n", notAfter } };
}

/** The names a certificate is valid for: its DNS subjectAltNames (`IP:` entries as "ip:<addr>"), else its CN. PURE. */
export function certificateNames(certPem: string): string[] {
  const leaf = new X509Certificate(certPem);
  const san = leaf.subjectAltName;
  if (san) {
    return san.split(/,\s*/).map((entry) => {
      const [kind = "", ...rest] = entry.split(":");
      const value = rest.join(":").trim().toLowerCase();
      return kind.trim() === "DNS" ? value : `${kind.trim().toLowerCase()}:${value}`;
    });
  }
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(leaf.subject)?.[1];
  return cn ? [cn.trim().toLowerCase()] : [];
}

/** Whether certificate name `name` (possibly `*.example.com`, one label) covers `hostname`. PURE. */
export function nameCovers(name: string, hostname: string): boolean {
  if (!name.startsWith("*.")) return name === hostname;
  const dot = hostname.indexOf(".");
  return dot > 0 && hostname.slice(dot + 1) === name.slice(2);
}

/**
 * Why an uploaded certificate may not be used by a team, or null: every name in it must be one
 * of the team's hostnames (or their www/apex twins), none may cover another team's hostname,
 * and IP or other non-DNS names are refused. Otherwise it could be served for another team's domain.
 */
export function certificateNamesProblem(names: string[], own: string[], others: string[]): string | null {
  const twins = (h: string) => [h, h.startsWith("www.") ? h.slice(4) : `www.${h}`];
  const allowed = new Set(own.flatMap(twins));
  for (const name of names) {
    if (name.includes(":")) return `The certificate names ${name}: only DNS names are accepted`;
    const taken = others.find((h) => nameCovers(name, h));
    if (taken !== undefined) return `The certificate also names ${name}, which covers a domain of another team`;
    if (!name.startsWith("*.") && !allowed.has(name))
      return `The certificate also names ${name}, which is not a domain of this team: add it as a domain first, or use a certificate for your domains only`;
  }
  return null;
}
