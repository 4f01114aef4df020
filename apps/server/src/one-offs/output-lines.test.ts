import { describe, expect, it } from "vitest";
import { redactionNeedles } from "../secrets/redaction.ts";
import { OutputLines } from "./output-lines.ts";

function collect(secrets: string[]) {
  const lines: string[] = [];
  const out = new OutputLines(redactionNeedles(secrets), (stream, line) => lines.push(`${stream}:${line}`));
  return { out, lines };
}

describe("OutputLines", () => {
  it("joins chunks into lines per stream and masks a secret split across two chunks", () => {
    const { out, lines } = collect(["hunter2-secret"]);
    out.push("stdout", "key=hunt");
    out.push("stderr", "warn\n");
    out.push("stdout", "er2-secret\r\nnext");
    expect(lines).toEqual(["stderr:warn", "stdout:key=[redacted]"]);
    out.end();
    expect(lines).toEqual(["stderr:warn", "stdout:key=[redacted]", "stdout:next"]);
  });

  it("passes a very long line without a newline on in pieces", () => {
    const { out, lines } = collect([]);
    out.push("stdout", "x".repeat(9000));
    expect(lines).toEqual([`stdout:${"x".repeat(9000)}`]);
  });
});
