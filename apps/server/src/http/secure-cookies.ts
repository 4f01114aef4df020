import type { ServerResponse } from "node:http";

/** Add the Secure attribute to one Set-Cookie value unless it has it. PURE. */
export function withSecure(cookie: string): string {
  return /;\s*secure\s*(;|$)/i.test(cookie) ? cookie : `${cookie}; Secure`;
}

/**
 * Mark every cookie this response sets Secure. For requests that reached the edge proxy over
 * HTTPS (the dashboard domain): the same cookie names as on plain HTTP (loopback, the public
 * URL), so one session lookup serves both, but a browser never sends these over plain HTTP.
 */
export function markCookiesSecure(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => {
    if (name.toLowerCase() !== "set-cookie") return setHeader(name, value);
    return setHeader(name, Array.isArray(value) ? value.map(withSecure) : withSecure(String(value)));
  };
}
