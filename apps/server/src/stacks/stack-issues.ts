/** One problem (or warning) of a compose file, at the service and key it is about. */
export interface StackIssue {
  /** The compose service, or null for the file's top level. */
  service: string | null;
  /** The key within the service (or the file), dotted: `deploy.resources.limits.memory`. */
  key: string;
  message: string;
}

/** Reports one issue of the service being mapped, at its key. */
export type Report = (key: string, message: string) => void;

/** "web: privileged -- ..." (one line per issue; used in the API's message). PURE. */
export function issueLine(issue: StackIssue): string {
  return `${issue.service === null ? "" : `${issue.service}: `}${issue.key} -- ${issue.message}`;
}
