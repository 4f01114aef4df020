"use client";

import type { InputHTMLAttributes } from "react";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> & {
  value: string;
  onChange: (value: string) => void;
  /** A secret's value is masked unless it has line breaks (then it is shown to edit, as revealed). */
  secret?: boolean;
};

/**
 * A variable's value. A value with a line break (a PEM key) is edited in a textarea: a one-line
 * input would silently drop the newline on the next keystroke.
 */
export function EnvValueInput({ value, onChange, secret = false, className = "", ...rest }: Props) {
  if (value.includes("\n")) {
    const { type: _type, ...areaProps } = rest;
    void _type;
    return (
      <textarea
        {...(areaProps as Record<string, unknown>)}
        value={value}
        rows={Math.min(8, value.split("\n").length)}
        onChange={(e) => onChange(e.target.value)}
        className={`${className} resize-y`}
        data-multiline="true"
        spellCheck={false}
      />
    );
  }
  return (
    <input {...rest} type={secret ? "password" : "text"} value={value} onChange={(e) => onChange(e.target.value)} className={className} />
  );
}
