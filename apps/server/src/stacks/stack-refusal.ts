import { DomainError } from "../errors.ts";
import { issueLine, type StackIssue } from "./stack-issues.ts";

/** One error listing every problem; fieldErrors keyed `compose.<service>.<key>` (file level: `compose.<key>`). */
export function refusal(issues: StackIssue[]): DomainError {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.service === null ? `compose.${issue.key}` : `compose.${issue.service}.${issue.key}`;
    fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]}; ${issue.message}` : issue.message;
  }
  const lines = issues.map(issueLine);
  return new DomainError(
    "INVALID",
    `The compose file cannot be imported (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`,
    fieldErrors,
  );
}
