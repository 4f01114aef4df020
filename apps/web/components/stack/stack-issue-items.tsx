import type { StackProblem } from "@/lib/stack-errors";

/** The items of a list of compose issues (problems or warnings): "service: key — message". */
export function StackIssueItems({ issues }: { issues: readonly StackProblem[] }) {
  return issues.map((p, i) => (
    <li key={`${p.service}.${p.key}.${i}`}>
      {p.service !== null && <strong>{p.service}</strong>}
      {p.service !== null && ": "}
      <code className="font-mono">{p.key}</code> — {p.message}
    </li>
  ));
}

/** What an import changed or ignored of the file: a directory kept as a volume, an ignored key. */
export function ImportNotes({ warnings, label }: { warnings: readonly StackProblem[]; label: string }) {
  if (warnings.length === 0) return null;
  return (
    <ul aria-label={label} className="list-disc space-y-1 pl-5 text-sm text-fg-muted">
      <StackIssueItems issues={warnings} />
    </ul>
  );
}
