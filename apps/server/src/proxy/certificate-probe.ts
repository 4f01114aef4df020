import { connect } from "node:tls";

export interface ServedCertificate {
  issuer: string;
  validTo: string;
}

/**
 * Which certificate the proxy serves for `hostname` right now: a TLS handshake with that SNI
 * to the proxy's HTTPS port on this machine. Null when there is none (yet) or no proxy.
 */
export function probeCertificate(options: {
  host: string;
  port: number;
  hostname: string;
  timeoutMs?: number;
}): Promise<ServedCertificate | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: options.host, port: options.port, servername: options.hostname, rejectUnauthorized: false });
    const done = (value: ServedCertificate | null): void => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(options.timeoutMs ?? 2000, () => done(null));
    socket.once("error", () => done(null));
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      if (!cert || !cert.valid_to) return done(null);
      const issuer = cert.issuer?.CN ?? cert.issuer?.O ?? "unknown issuer";
      done({ issuer: Array.isArray(issuer) ? issuer.join(", ") : issuer, validTo: new Date(cert.valid_to).toISOString() });
    });
  });
}
