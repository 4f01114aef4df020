/**
 * Test-only TLS material with the openssl CLI (a self-signed certificate, a CA and certificates
 * it signs; EC P-256 keys, valid 2 days) and an ssh public key's fingerprint (ssh-keygen).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { run } from "./argv-run.ts";

/** `openssl req` arguments for a new unencrypted EC P-256 key written to `keyFile`. */
const newEcKey = (keyFile: string) => ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile];

export function sha256Fingerprint(publicKeyFile: string): string {
  // "256 SHA256:abc... comment (ED25519)"
  const out = run("ssh-keygen", ["-l", "-E", "sha256", "-f", publicKeyFile]);
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(out);
  if (!match) throw new Error(`ssh-keygen printed no fingerprint: ${out}`);
  return match[0];
}

/** A self-signed certificate for `subject` (e.g. "/CN=x"), with extra `-addext` extensions. */
export function selfSigned(files: { key: string; cert: string }, subject: string, extensions: string[] = []): void {
  run("openssl", [
    "req",
    "-x509",
    ...newEcKey(files.key),
    "-out",
    files.cert,
    "-days",
    "2",
    "-subj",
    subject,
    ...extensions.flatMap((e) => ["-addext", e]),
  ]);
}

/** A CA, to sign one certificate per node (server, its address as IP SAN) and one client certificate. */
export function makeCa(dir: string): { caKey: string; caCert: string } {
  const caKey = path.join(dir, "ca-key.pem");
  const caCert = path.join(dir, "ca.pem");
  selfSigned({ key: caKey, cert: caCert }, "/CN=berth-test-ca");
  return { caKey, caCert };
}

export function signCert(dir: string, ca: { caKey: string; caCert: string }, name: string, ext: string): { cert: string; key: string } {
  const key = path.join(dir, `${name}-key.pem`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.pem`);
  const extFile = path.join(dir, `${name}.ext`);
  writeFileSync(extFile, `${ext}\n`);
  run("openssl", ["req", ...newEcKey(key), "-out", csr, "-subj", `/CN=${name}`]);
  run("openssl", [
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    ca.caCert,
    "-CAkey",
    ca.caKey,
    "-CAcreateserial",
    "-out",
    cert,
    "-days",
    "2",
    "-extfile",
    extFile,
  ]);
  return { cert, key };
}
