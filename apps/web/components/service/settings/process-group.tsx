"use client";

import { TextField } from "../../ui/field";
import { KindRadios } from "../kind-radios";
import { SettingsGroup, type GroupProps } from "./settings-group";

/** Name, kind, port, start command and entrypoint. */
export function ProcessGroup({ form, set, errors }: GroupProps) {
  return (
    <SettingsGroup
      title="Process"
      description="What runs and how it starts. Commands are split like a shell would split them, but no shell runs them."
    >
      <TextField
        label="Service name"
        name="name"
        value={form.name}
        onChange={(e) => set({ name: e.target.value })}
        error={errors.name}
        hint="Lowercase letters, digits and dashes; other services reach it by this name."
        autoComplete="off"
        spellCheck={false}
      />
      <KindRadios
        columns
        name="settings-kind"
        value={form.kind}
        onChange={(kind) =>
          set({
            kind,
            ...(kind === "worker" && ["http", "tcp"].includes(form.healthCheck.type)
              ? { healthCheck: { ...form.healthCheck, type: "default" } }
              : {}),
          })
        }
        error={errors.kind}
      />
      {form.kind !== "worker" && (
        <TextField
          label="Container port"
          name="containerPort"
          type="number"
          inputMode="numeric"
          min={1}
          max={65535}
          value={form.containerPort}
          onChange={(e) => set({ containerPort: e.target.value })}
          error={errors.containerPort}
          hint="The port the process listens on inside the container."
        />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Start command"
          name="command"
          value={form.command}
          onChange={(e) => set({ command: e.target.value })}
          error={errors.command}
          placeholder="The image's CMD"
          hint={'e.g. node server.js --port 8080 or sh -c "migrate && serve"'}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Entrypoint"
          name="entrypoint"
          value={form.entrypoint}
          onChange={(e) => set({ entrypoint: e.target.value })}
          error={errors.entrypoint}
          placeholder="The image's ENTRYPOINT"
          hint="Empty keeps the image's own."
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="Run as user"
          name="user"
          value={form.user}
          onChange={(e) => set({ user: e.target.value })}
          error={errors.user}
          placeholder="The image's USER"
          hint="A user name or id, optionally :group (e.g. 1000:1000 or postgres). Empty keeps the image's own."
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Network aliases"
          name="aliases"
          value={form.aliases}
          onChange={(e) => set({ aliases: e.target.value })}
          error={errors.aliases}
          placeholder="None"
          hint="Other names the project's services reach it by, besides its own, e.g. db primary_db."
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Working directory"
          name="workingDir"
          value={form.workingDir}
          onChange={(e) => set({ workingDir: e.target.value })}
          error={errors.workingDir}
          placeholder="The image's WORKDIR"
          hint="An absolute path inside the container, e.g. /app. Empty keeps the image's own."
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <TextField
        label="Release command"
        name="releaseCommand"
        value={form.releaseCommand}
        onChange={(e) => set({ releaseCommand: e.target.value })}
        error={errors.releaseCommand}
        placeholder="None"
        hint={
          'Runs in a new container of each new release before it goes live (e.g. npx prisma migrate deploy); a failure fails the deployment and the old release keeps serving. For a shell line: sh -c "..."'
        }
        autoComplete="off"
        spellCheck={false}
      />
    </SettingsGroup>
  );
}
