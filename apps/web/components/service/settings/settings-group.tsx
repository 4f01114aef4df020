import type { ReactNode } from "react";
import type { SettingsForm } from "@/lib/service-settings-form";

/** What every group of the settings form gets: the whole form, a patcher and the field errors. */
export interface GroupProps {
  form: SettingsForm;
  set: (patch: Partial<SettingsForm>) => void;
  errors: Record<string, string>;
}

/** One titled group of settings (a fieldset, so its legend names every control in it). */
export function SettingsGroup({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <fieldset className="min-w-0 space-y-4 rounded-lg border border-line bg-surface p-5 shadow-xs">
      <legend className="rounded-md bg-surface px-1 text-base font-semibold text-fg">{title}</legend>
      {description && <p className="-mt-2 text-sm text-fg-muted">{description}</p>}
      {children}
    </fieldset>
  );
}
