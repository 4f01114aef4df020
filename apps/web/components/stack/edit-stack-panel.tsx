"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, fieldErrorsOf } from "@/lib/errors";
import { parseEnvFile } from "@/lib/env-file";
import { stackProblems } from "@/lib/stack-errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { FieldError, inputClass } from "../ui/field";
import { Panel } from "../ui/page-header";
import { ImportNotes, StackIssueItems } from "./stack-issue-items";

interface EditableStack {
  id: string;
  compose: string;
  profiles: string[];
  git: { url: string; branch: string; composePath: string | null } | null;
}

/**
 * Re-import the stack: an edited file (pasted stacks) or the repository's branch head (git
 * stacks). "Review" shows what would be added, changed and removed; applying removes only the
 * services it listed, and never their volumes.
 */
export function EditStackPanel({ stack, onApplied }: { stack: EditableStack; onApplied: () => void }) {
  const trpc = useTRPC();
  const [compose, setCompose] = useState(stack.compose);
  const [variables, setVariables] = useState("");
  // Shown once "Review" finds the variables are not valid .env text (nothing is sent then).
  const [variablesProblem, setVariablesProblem] = useState<string | null>(null);
  const parsed = variables.trim() !== "" ? parseEnvFile(variables) : null;
  const request = () => ({
    stackId: stack.id,
    // A git stack sends no file: the server reads its stored repository (token included) again.
    compose: stack.git ? "" : compose,
    ...(parsed && "pairs" in parsed ? { variables: parsed.pairs } : {}),
    profiles: stack.profiles,
    deploy: true,
  });
  const review = () => {
    setVariablesProblem(parsed && "error" in parsed ? parsed.error : null);
    if (parsed && "error" in parsed) return plan.reset();
    plan.mutate(request());
  };
  const plan = useMutation(trpc.stacks.plan.mutationOptions());
  const apply = useMutation(trpc.stacks.update.mutationOptions({ onSuccess: () => (plan.reset(), onApplied()) }));
  const problems = stackProblems(fieldErrorsOf(plan.error ?? apply.error));
  const changes = plan.data;
  return (
    <Panel title={stack.git ? "Re-import from the repository" : "Edit the compose file"}>
      <div className="space-y-3">
        {stack.git ? (
          <p className="text-sm text-fg-muted">
            Reads {stack.git.composePath ?? "the compose file"} on {stack.git.branch} again (pushes do this by themselves once the webhook
            is set up).
          </p>
        ) : (
          <textarea
            aria-label="Compose file"
            rows={12}
            wrap="off"
            value={compose}
            onChange={(e) => (setCompose(e.target.value), plan.reset())}
            className={`${inputClass(problems.length > 0)} font-mono`}
            spellCheck={false}
          />
        )}
        <textarea
          aria-label="Variables"
          rows={2}
          value={variables}
          onChange={(e) => (setVariables(e.target.value), setVariablesProblem(null), plan.reset())}
          className={`${inputClass(Boolean(variablesProblem))} font-mono`}
          spellCheck={false}
          placeholder="KEY=value lines replace the stack's variables (empty: kept)"
          aria-invalid={variablesProblem ? true : undefined}
        />
        <FieldError message={variablesProblem ?? undefined} />
        {problems.length > 0 && (
          <ul role="alert" aria-label="Problems in the compose file" className="list-disc space-y-1 pl-5 text-sm text-danger-fg">
            <StackIssueItems issues={problems} />
          </ul>
        )}
        {changes && (
          <dl aria-label="Planned changes" className="grid grid-cols-[8rem_1fr] gap-1 text-sm">
            <dt className="text-fg-muted">Added</dt>
            <dd>{changes.added.join(", ") || "none"}</dd>
            <dt className="text-fg-muted">Changed (redeployed)</dt>
            <dd>{changes.changed.join(", ") || "none"}</dd>
            <dt className="text-fg-muted">Removed</dt>
            <dd className={changes.removed.length > 0 ? "font-medium text-danger-fg" : ""}>
              {changes.removed.length > 0 ? `${changes.removed.join(", ")} (containers deleted; volumes kept)` : "none"}
            </dd>
          </dl>
        )}
        {changes && <ImportNotes warnings={changes.warnings} label="Notes on the edited file" />}
        {(plan.error || apply.error) && problems.length === 0 && <ErrorAlert message={errorMessage(plan.error ?? apply.error)} />}
        <FieldError message={fieldErrorsOf(apply.error).remove} />
        <div className="flex gap-2">
          <Button variant="secondary" onClick={review} pending={plan.isPending} pendingLabel="Reading…">
            Review changes
          </Button>
          {changes && (
            <Button
              variant={changes.removed.length > 0 ? "danger" : "primary"}
              onClick={() => apply.mutate({ ...request(), remove: changes.removed })}
              pending={apply.isPending}
              pendingLabel="Applying…"
            >
              {changes.removed.length > 0 ? `Apply and remove ${changes.removed.join(", ")}` : "Apply and deploy"}
            </Button>
          )}
        </div>
      </div>
    </Panel>
  );
}
