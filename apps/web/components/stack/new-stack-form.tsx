"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { parseEnvFile } from "@/lib/env-file";
import { stackProblems } from "@/lib/stack-errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/checkbox-field";
import { CopyField } from "../ui/copy-field";
import { FieldError, TextField, inputClass } from "../ui/field";
import { Panel } from "../ui/page-header";
import { StackIssueItems } from "./stack-issue-items";

/** Paste a compose file (and the values of its variables): every service becomes a Berth service, deployed in dependency order. */
export function NewStackForm({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const composeId = useId();
  const variablesId = useId();
  const [name, setName] = useState("");
  const [compose, setCompose] = useState("");
  const [variables, setVariables] = useState("");
  const [profiles, setProfiles] = useState("");
  const [fromGit, setFromGit] = useState(false);
  const [git, setGit] = useState({ url: "", branch: "main", composePath: "", token: "" });
  const create = useMutation(
    trpc.stacks.create.mutationOptions({
      onSuccess: async ({ id, webhook }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
        // A git stack's webhook secret is shown once: stay here until it is copied.
        if (!webhook) router.push(`/stacks/${id}`);
      },
    }),
  );
  // Variables that are not valid .env text: answered at their field before anything is sent.
  const [variablesProblem, setVariablesProblem] = useState<string | null>(null);
  const fields = fieldErrorsOf(create.error);
  const problems = stackProblems(fields);
  const isField = (key: string) =>
    key === "name" || key === "compose" || key.startsWith("compose.") || key.startsWith("variables") || key.startsWith("git.");
  const formError = formLevelMessage(create.error, isField);
  const variablesError = variablesProblem ?? Object.entries(fields).find(([key]) => key.startsWith("variables"))?.[1];
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseEnvFile(variables);
    setVariablesProblem("error" in parsed ? parsed.error : null);
    if ("error" in parsed) return create.reset();
    create.mutate({
      projectId,
      name: name.trim(),
      compose: fromGit ? "" : compose,
      ...(fromGit
        ? {
            git: {
              url: git.url.trim(),
              branch: git.branch.trim(),
              composePath: git.composePath.trim(),
              auth: git.token.trim() ? ("token" as const) : ("none" as const),
              token: git.token.trim() || undefined,
            },
          }
        : {}),
      variables: parsed.pairs,
      profiles: profiles
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
      deploy: true,
    });
  };

  return (
    <Panel title="New compose stack" className="self-start">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="New compose stack">
        <p className="text-sm text-fg-muted">
          Each service of the file becomes a service of this project, reachable by its name; the stack deploys in dependency order.
        </p>
        <TextField
          label="Stack name"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
          autoComplete="off"
          spellCheck={false}
        />
        <CheckboxField
          label="Read the compose file from a git repository (redeployed on push; build: and env_file read from it)"
          name="fromGit"
          checked={fromGit}
          onChange={(e) => setFromGit(e.target.checked)}
        />
        {fromGit && (
          <div className="space-y-3">
            <TextField
              label="Repository URL"
              name="gitUrl"
              value={git.url}
              onChange={(e) => setGit({ ...git, url: e.target.value })}
              error={fields["git.url"]}
              autoComplete="off"
              spellCheck={false}
              placeholder="https://github.com/team/app.git"
              hint="Private: an https URL with an access token, or an ssh URL (git@host:team/app.git) read with a deploy key Berth makes for the stack."
            />
            <TextField
              label="Branch"
              name="gitBranch"
              value={git.branch}
              onChange={(e) => setGit({ ...git, branch: e.target.value })}
              error={fields["git.branch"]}
              autoComplete="off"
            />
            <TextField
              label="Compose file path (optional)"
              name="composePath"
              value={git.composePath}
              onChange={(e) => setGit({ ...git, composePath: e.target.value })}
              error={fields["git.composePath"]}
              hint="Empty: compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml at the root."
              autoComplete="off"
            />
            <TextField
              label="Access token (private https repositories)"
              name="gitToken"
              type="password"
              value={git.token}
              onChange={(e) => setGit({ ...git, token: e.target.value })}
              error={fields["git.token"]}
              autoComplete="off"
            />
          </div>
        )}
        {create.data?.webhook && (
          <div role="status" className="space-y-2 rounded-md border border-line p-3 text-sm">
            {create.data.deployKeyPublic && (
              <>
                <p>
                  Stack created. Add this public key to the repository as a read-only deploy key, then import the file from the stack&apos;s
                  page.
                </p>
                <pre className="overflow-x-auto rounded-md bg-surface-muted px-3 py-2 font-mono text-xs" data-testid="stack-deploy-key">
                  {create.data.deployKeyPublic}
                </pre>
              </>
            )}
            <p>
              {create.data.deployKeyPublic ? "Add" : "Stack created. Add"} this webhook to the repository (push events, JSON); the secret is
              shown once.
            </p>
            <CopyField label="Payload URL" value={create.data.webhook.url} />
            <CopyField label="Secret" value={create.data.webhook.secret} testId="stack-webhook-secret" />
            <Button onClick={() => router.push(`/stacks/${create.data.id}`)}>Open the stack</Button>
          </div>
        )}
        <div className="space-y-1" hidden={fromGit}>
          <label htmlFor={composeId} className="block text-sm font-medium text-fg">
            Compose file
          </label>
          <textarea
            id={composeId}
            name="compose"
            rows={12}
            wrap="off"
            value={compose}
            onChange={(e) => setCompose(e.target.value)}
            className={`${inputClass(Boolean(fields.compose) || problems.length > 0)} font-mono`}
            spellCheck={false}
            placeholder={'services:\n  web:\n    image: nginx:1.27\n    ports: ["80"]'}
          />
          <FieldError message={fields.compose} />
        </div>
        <div className="space-y-1">
          <label htmlFor={variablesId} className="block text-sm font-medium text-fg">
            Variables (optional)
          </label>
          <textarea
            id={variablesId}
            name="variables"
            rows={3}
            value={variables}
            onChange={(e) => setVariables(e.target.value)}
            className={`${inputClass(Boolean(variablesError))} font-mono`}
            spellCheck={false}
            placeholder="DB_PASSWORD=…"
          />
          <p className="text-xs text-fg-muted">
            KEY=value lines for the file&apos;s {"${VARIABLES}"} (paste its .env here); stored sealed. Values used in environment: become
            secret variables, and the variables stand for the env_file files a pasted stack does not have.
          </p>
          <FieldError message={variablesError} />
        </div>
        <TextField
          label="Profiles (optional)"
          name="profiles"
          value={profiles}
          onChange={(e) => setProfiles(e.target.value)}
          hint="Comma-separated; services with other profiles are left out."
          autoComplete="off"
        />
        {problems.length > 0 && (
          <div role="alert" aria-label="Problems in the compose file" className="rounded-md border border-danger bg-surface p-3 text-sm">
            <p className="font-medium text-danger-fg">The file cannot be imported:</p>
            <ul className="mt-1 list-disc space-y-1 pl-5">
              <StackIssueItems issues={problems} />
            </ul>
          </div>
        )}
        {formError && <ErrorAlert message={formError} />}
        <Button type="submit" pending={create.isPending || create.isSuccess} pendingLabel="Creating…">
          Create stack
        </Button>
      </form>
    </Panel>
  );
}
