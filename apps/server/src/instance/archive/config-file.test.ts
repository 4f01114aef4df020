import { describe, expect, it } from "vitest";
import { mergeConfig, parseConfig } from "./config-file.ts";

describe("mergeConfig", () => {
  const archived = [
    "# old machine",
    "DATABASE_URL=postgresql://berth:old@127.0.0.1:5432/berth",
    "BERTH_SECRET=aaaa",
    "BERTH_PUBLIC_URL=http://10.0.0.1:3000",
    'BERTH_SMTP_URL="smtp://m:p@mail.example.com:587"',
    "",
  ].join("\n");
  const current = [
    "DATABASE_URL=postgresql://berth:new@127.0.0.1:5433/berth",
    "BERTH_SECRET=bbbb",
    "BERTH_PUBLIC_URL=http://10.0.0.2:3000",
    "BERTH_PORT=3000",
    "",
  ].join("\n");

  it("takes the instance's settings and key material from the archive and keeps this machine's database, address and public URL", () => {
    const { text, kept } = mergeConfig(archived, current);
    expect(parseConfig(text)).toEqual({
      DATABASE_URL: "postgresql://berth:new@127.0.0.1:5433/berth",
      BERTH_SECRET: "aaaa",
      BERTH_PUBLIC_URL: "http://10.0.0.2:3000",
      BERTH_SMTP_URL: "smtp://m:p@mail.example.com:587",
    });
    expect(text.startsWith("# old machine\n")).toBe(true);
    // Names only: DATABASE_URL holds a password.
    expect(kept).toEqual(["DATABASE_URL", "BERTH_PUBLIC_URL"]);
  });
});
