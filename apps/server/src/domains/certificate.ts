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
  if (notAfter.getTime() <= now.getTime()) return { ok: false, field: "certPem", error: `The certificate expired on ${notAfter.toISOString().slice(0, 10)}` };
  if (new Date(leaf.validFrom).getTime() > now.getTime()) return { ok: false, field: "certPem", error: "The certificate is not valid yet" };
  return { ok: true, value: { certPem: certPem.trim() + "\n", keyPem: keyPem.trim() + "\n", notAfter } };
}
