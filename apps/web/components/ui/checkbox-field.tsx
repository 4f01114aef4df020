"use client";

import { useId, type InputHTMLAttributes, type ReactNode } from "react";
import { FieldError } from "./field";

export interface CheckboxFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
}

/** A checkbox with its label beside it and an optional hint and error linked by aria-describedby. */
export function CheckboxField({ label, hint, error, id, className = "", ...input }: CheckboxFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className={`flex items-start gap-3 text-sm ${className}`}>
      <input
        id={inputId}
        type="checkbox"
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className="mt-0.5 size-4 shrink-0 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus"
        {...input}
      />
      <div className="space-y-0.5">
        <label htmlFor={inputId} className="font-medium text-fg">
          {label}
        </label>
        {hint && (
          <p id={hintId} className="text-fg-muted">
            {hint}
          </p>
        )}
        <FieldError id={errorId} message={error} />
      </div>
    </div>
  );
}
