import type { NextConfig } from "next";

// The dashboard is served by apps/server's custom Node server (`next({ dir, httpServer })`),
// which also hosts /trpc, /api/auth and /socket.io on the same origin. Nothing server-side
// lives here, and `output: "standalone"` cannot be combined with a custom server.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
