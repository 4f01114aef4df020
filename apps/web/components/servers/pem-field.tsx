"use client";

import { useId } from "react";
import { FieldError, inputClass } from "../ui/field";

/** A labelled textarea for a pasted PEM block, with its field error. */
export function PemField({
  label,
  name,
  value,
  onChange,
  error,
  placeholder,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  placeholder: string;
}) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-fg">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={4}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
        className={`${inputClass(Boolean(error))} font-mono text-xs`}
      />
      <FieldError id={errorId} message={error} />
    </div>
  );
}
