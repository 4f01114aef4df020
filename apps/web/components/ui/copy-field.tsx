"use client";

import { useId, useState } from "react";
import { Button } from "./button";
import { inputClass } from "./field";

/** A read-only value to copy (an invitation link, a new token), with a Copy button. */
export function CopyField({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setCopied("yes"),
      () => setCopied("failed"),
    );
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-fg">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          className={`${inputClass()} font-mono text-xs`}
          onFocus={(e) => e.target.select()}
          data-testid={testId}
        />
        <Button variant="secondary" onClick={() => void copy()}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied === "failed" && <p className="text-xs text-danger-fg">Copying was blocked by the browser: select the text and copy it.</p>}
      {hint && <p className="text-xs text-fg-subtle">{hint}</p>}
    </div>
  );
}
