/**
 * `build:end`: a finished deployment (status), or access that ended (reason, no status: the
 * service was deleted or the caller removed) -- reading a missing status once threw
 * "Cannot read properties of undefined (reading 'replace')" while services were deleted quickly.
 */
export interface BuildEndEvent {
  deploymentId: string;
  status?: string | null;
  reason?: string | null;
}

export function buildEndMessage(e: BuildEndEvent): string {
  if (typeof e.status === "string" && e.status) return `Finished: ${e.status.replace("_", " ")}`;
  return e.reason || "The build log ended";
}
