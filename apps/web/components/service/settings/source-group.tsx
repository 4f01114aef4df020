"use client";

import { GitSourceFields } from "../../project/git-source-fields";
import { TextField } from "../../ui/field";
import { SettingsGroup, type GroupProps } from "./settings-group";

/** Image, or git repository with branch, Dockerfile, context, credentials and build arguments. */
export function SourceGroup({ form, set, errors, hasToken }: GroupProps & { hasToken: boolean }) {
  return (
    <SettingsGroup title="Source" description="Where the code comes from. A new image tag or branch applies at the next deploy.">
      <div className="flex flex-wrap gap-4 text-sm" role="radiogroup" aria-label="Source type">
        {(["image", "git"] as const).map((kind) => (
          <label key={kind} className="flex items-center gap-2 text-fg">
            <input
              type="radio"
              name="settings-source"
              value={kind}
              checked={form.source === kind}
              onChange={() => set({ source: kind })}
              className="accent-indigo-600"
            />
            {kind === "image" ? "Docker image" : "Git repository"}
          </label>
        ))}
      </div>
      {form.source === "image" ? (
        <TextField
          label="Image"
          name="image"
          value={form.image}
          onChange={(e) => set({ image: e.target.value })}
          error={errors.image}
          hint="e.g. nginx:1.27 or registry.example.com/team/app:tag; each deploy pulls the tag again."
          autoComplete="off"
          spellCheck={false}
        />
      ) : (
        <GitSourceFields value={form.git} onChange={(git) => set({ git })} errors={errors} tokenStored={hasToken} />
      )}
    </SettingsGroup>
  );
}
