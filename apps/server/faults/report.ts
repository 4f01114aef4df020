import { appendFileSync } from "node:fs";

/**
 * A fault's figure: printed (the suite's output is its report) and, when BERTH_FAULT_REPORT
 * names a file, appended there so infra/test.sh can print them all together at the end.
 */
export function reportFigure(fault: string, figure: string): void {
  const line = `[fault] ${fault}: ${figure}`;
  console.log(line);
  if (process.env.BERTH_FAULT_REPORT) appendFileSync(process.env.BERTH_FAULT_REPORT, `${line}\n`);
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
