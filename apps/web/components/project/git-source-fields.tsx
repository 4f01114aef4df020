"use client";

import { useId } from "react";
import { FieldError, inputClass, TextField } from "../ui/field";

export interface GitSourceState {
  url: string;
  branch: string;
  commit: string;
  dockerfilePath: string;
  contextPath: string;
  auth: "none" | "token" | "ssh";
  token: string;
  buildArgs: string;
}

export const emptyGitSource: GitSourceState = {
  url: "",
  branch: "main",
  commit: "",
  dockerfilePath: "Dockerfile",
  contextPath: ".",
  auth: "none",
  token: "",
  buildArgs: "",
};

/** Repository, branch, optional commit, Dockerfile and context paths, credentials, build args. */
export function GitSourceFields({
  value,
  onChange,
  errors,
  tokenStored = false,
}: {
  value: GitSourceState;
  onChange: (v: GitSourceState) => void;
  errors: Record<string, string>;
  /** Editing a service whose token is stored: empty keeps it. */ tokenStored?: boolean;
}) {
  const set = (patch: Partial<GitSourceState>) => onChange({ ...value, ...patch });
  const authId = useId();
  const argsId = useId();
  const buildArgError = Object.entries(errors).find(([k]) => k.startsWith("git.buildArgs"))?.[1];
  return (
    <div className="space-y-4 rounded-md border border-slate-200 p-4">
      <TextField
        label="Repository URL"
        name="gitUrl"
        required
        value={value.url}
        onChange={(e) => set({ url: e.target.value })}
        error={errors["git.url"]}
        hint="https://host/owner/repo.git, ssh://… or git@host:owner/repo.git"
        autoComplete="off"
        spellCheck={false}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Branch"
          name="gitBranch"
          value={value.branch}
          onChange={(e) => set({ branch: e.target.value })}
          error={errors["git.branch"]}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Pinned commit (optional)"
          name="gitCommit"
          value={value.commit}
          onChange={(e) => set({ commit: e.target.value })}
          error={errors["git.commit"]}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Dockerfile path"
          name="dockerfilePath"
          value={value.dockerfilePath}
          onChange={(e) => set({ dockerfilePath: e.target.value })}
          error={errors["git.dockerfilePath"]}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Build context"
          name="contextPath"
          value={value.contextPath}
          onChange={(e) => set({ contextPath: e.target.value })}
          error={errors["git.contextPath"]}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div className="space-y-1.5">
        <label htmlFor={authId} className="block text-sm font-medium text-slate-800">
          Access
        </label>
        <select
          id={authId}
          name="gitAuth"
          className={inputClass(Boolean(errors["git.auth"]))}
          value={value.auth}
          onChange={(e) => set({ auth: e.target.value as GitSourceState["auth"] })}
        >
          <option value="none">Public repository</option>
          <option value="token">Private (https access token)</option>
          <option value="ssh">Private (ssh deploy key Berth generates)</option>
        </select>
        <FieldError message={errors["git.auth"]} />
      </div>
      {value.auth === "token" && (
        <TextField
          label="Access token"
          name="gitToken"
          type="password"
          value={value.token}
          onChange={(e) => set({ token: e.target.value })}
          error={errors["git.token"]}
          hint={
            tokenStored
              ? "A token is stored: leave this empty to keep it, or enter a new one."
              : "Stored as a secret; never shown again or written to logs."
          }
          autoComplete="off"
        />
      )}
      <div className="space-y-1.5">
        <label htmlFor={argsId} className="block text-sm font-medium text-slate-800">
          Build arguments (optional)
        </label>
        <textarea
          id={argsId}
          name="buildArgs"
          rows={2}
          className={`${inputClass(Boolean(buildArgError))} font-mono`}
          placeholder="NODE_ENV=production"
          value={value.buildArgs}
          onChange={(e) => set({ buildArgs: e.target.value })}
        />
        <FieldError message={buildArgError} />
      </div>
    </div>
  );
}
