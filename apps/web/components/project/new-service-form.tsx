"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { EnvEditor } from "./env-editor";
import { emptyGitSource, GitSourceFields, type GitSourceState } from "./git-source-fields";
import { parseEnvFile } from "@/lib/env-file";
import { emptyStageTimeouts, StageTimeoutFields, timeoutsForSubmit, type StageTimeouts } from "./stage-timeout-fields";
import { envErrorsByRow, envForSubmit, newEnvRow, type EnvRow } from "@/lib/env-rows";
import { CheckboxField } from "../ui/checkbox-field";
import { KindRadios } from "../service/kind-radios";
import type { Kind } from "@/lib/service-settings-form";
import { tabHref } from "@/lib/service-tabs";

const SHOWN_AT_FIELD = /^(name|image|kind|containerPort|env(\.\d+(\.(key|value))?)?|git\..*|timeouts\..*)$/;

/** Creates a service in the project and, unless "Deploy now" is unticked, deploys it; then opens it (its live log when deploying). */
export function NewServiceForm({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState("");
  const [image, setImage] = useState("");
  const [source, setSource] = useState<"image" | "git">("image");
  const [git, setGit] = useState<GitSourceState>(emptyGitSource);
  const [timeouts, setTimeouts] = useState<StageTimeouts>(emptyStageTimeouts);
  const [port, setPort] = useState("");
  const [kind, setKind] = useState<Kind>("web");
  const [deploy, setDeploy] = useState(true);
  const [rows, setRows] = useState<EnvRow[]>(() => [newEnvRow()]);
  const [sentRowIds, setSentRowIds] = useState<number[]>([]);
  // Build args that are not valid .env text: answered at their field before anything is sent.
  const [argsError, setArgsError] = useState<string | null>(null);
  const create = useMutation(
    trpc.services.create.mutationOptions({
      onSuccess: async ({ id, deploymentId }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
        router.push(tabHref(id, deploymentId ? "deployments" : "overview"));
      },
    }),
  );
  // "Check at creation": the image or repository/branch is tried first; "Create anyway" only when the check could not run.
  const check = useMutation(trpc.services.checkSource.mutationOptions());
  const [checked, setChecked] = useState<{ status: "failed" | "unavailable"; message: string } | null>(null);
  const error = create.error ?? check.error;
  const fields = argsError ? { ...fieldErrorsOf(error), "git.buildArgs": argsError } : fieldErrorsOf(error);
  const formError = formLevelMessage(error, (key) => SHOWN_AT_FIELD.test(key));

  const submit = async (force: boolean) => {
    const { env, rowIds } = envForSubmit(rows);
    setSentRowIds(rowIds);
    const common = {
      projectId,
      name: name.trim(),
      kind,
      containerPort: kind === "worker" || port.trim() === "" ? null : Number(port),
      deploy,
      env,
      timeouts: timeoutsForSubmit(timeouts),
    };
    const { buildArgs: argsText, token, commit, ...rest } = git;
    const gitSource = { ...rest, commit: commit.trim() || undefined, token: rest.auth === "token" ? token : undefined };
    const buildArgs = source === "git" ? parseEnvFile(argsText) : { pairs: [] };
    create.reset();
    setArgsError("error" in buildArgs ? buildArgs.error : null);
    if ("error" in buildArgs) return check.reset();
    if (!force) {
      setChecked(null);
      const target = source === "image" ? { source, image: image.trim() } : { source, git: gitSource };
      const result = await check.mutateAsync({ projectId, ...target }).catch((err: unknown) => ({ err }));
      if ("err" in result) {
        // Bad input: create validates every field at once and reports each (it creates nothing).
        if (Object.keys(fieldErrorsOf(result.err)).length === 0)
          return setChecked({ status: "unavailable", message: `Could not check the source: ${errorMessage(result.err)}` });
      } else if (result.status !== "ok") return setChecked({ status: result.status, message: result.message });
    }
    check.reset();
    if (source === "image") return create.mutate({ ...common, source, image: image.trim() });
    create.mutate({ ...common, source, git: { ...gitSource, buildArgs: buildArgs.pairs } });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(false);
  };

  return (
    <Panel title="New service" className="self-start">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="New service">
        <TextField
          label="Service name"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
          hint="Lowercase letters, digits and dashes, e.g. web or api-v2."
          autoComplete="off"
          spellCheck={false}
        />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Source</legend>
          <div className="flex gap-4 text-sm">
            {(["image", "git"] as const).map((kind) => (
              <label key={kind} className="flex items-center gap-2">
                <input type="radio" name="source" value={kind} checked={source === kind} onChange={() => setSource(kind)} />
                {kind === "image" ? "Docker image" : "Git repository"}
              </label>
            ))}
          </div>
        </fieldset>
        {source === "image" ? (
          <TextField
            label="Image"
            name="image"
            required
            value={image}
            onChange={(e) => setImage(e.target.value)}
            error={fields.image}
            hint="A Docker image on this machine, e.g. nginx:1.27."
            autoComplete="off"
            spellCheck={false}
          />
        ) : (
          <GitSourceFields value={git} onChange={setGit} errors={fields} />
        )}
        <KindRadios name="kind" value={kind} onChange={setKind} error={fields.kind} />
        {kind !== "worker" && (
          <TextField
            label="Container port"
            name="containerPort"
            type="number"
            inputMode="numeric"
            min={1}
            max={65535}
            required
            value={port}
            onChange={(e) => setPort(e.target.value)}
            error={fields.containerPort}
            hint="The port your app listens on inside the container."
          />
        )}
        <StageTimeoutFields value={timeouts} onChange={setTimeouts} errors={fields} />
        <EnvEditor rows={rows} onChange={setRows} rowErrors={envErrorsByRow(fields, sentRowIds)} listError={fields.env} />
        <CheckboxField
          label="Deploy now"
          name="deploy"
          checked={deploy}
          onChange={(e) => setDeploy(e.target.checked)}
          hint="Starts the first deployment as soon as the service is created."
        />
        {formError && <ErrorAlert message={formError} />}
        {checked && (
          <div
            role="alert"
            data-testid="source-check"
            data-status={checked.status}
            className={`space-y-2 rounded-md px-3 py-2 text-sm ${checked.status === "failed" ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-900"}`}
          >
            <p>{checked.message}</p>
            {checked.status === "unavailable" && (
              <Button variant="secondary" onClick={() => void submit(true)} pending={create.isPending} pendingLabel="Creating…">
                Create anyway
              </Button>
            )}
          </div>
        )}
        <Button
          type="submit"
          pending={check.isPending || create.isPending || create.isSuccess}
          pendingLabel={check.isPending ? "Checking the source…" : "Creating…"}
        >
          Create service
        </Button>
      </form>
    </Panel>
  );
}
