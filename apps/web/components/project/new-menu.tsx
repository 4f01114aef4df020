"use client";

import { useState } from "react";
import { NewStackForm } from "../stack/new-stack-form";
import { NewDatabaseForm } from "./new-database-form";
import { NewServiceForm } from "./new-service-form";

const CHOICES = [
  { value: "service", label: "Service" },
  { value: "database", label: "Database" },
  { value: "stack", label: "Compose stack" },
] as const;
type Choice = (typeof CHOICES)[number]["value"];

/** The project's "New" menu: a service, a database or a compose stack, one form at a time. */
export function NewMenu({ projectId }: { projectId: string }) {
  const [choice, setChoice] = useState<Choice>("service");
  return (
    <div className="space-y-3">
      <div role="group" aria-label="New" className="flex flex-wrap items-center gap-2">
        <span className="text-sm font-medium text-fg">New</span>
        {CHOICES.map((c) => (
          <button
            key={c.value}
            type="button"
            aria-pressed={choice === c.value}
            onClick={() => setChoice(c.value)}
            className={`rounded-md border px-3 py-1 text-sm focus-visible:outline-2 focus-visible:outline-focus ${choice === c.value ? "border-accent bg-accent text-on-accent" : "border-line-strong bg-surface text-fg hover:bg-surface-muted"}`}
          >
            {c.label}
          </button>
        ))}
      </div>
      {choice === "service" && <NewServiceForm projectId={projectId} />}
      {choice === "database" && <NewDatabaseForm projectId={projectId} />}
      {choice === "stack" && <NewStackForm projectId={projectId} />}
    </div>
  );
}
