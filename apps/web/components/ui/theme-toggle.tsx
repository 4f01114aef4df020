"use client";

import { useEffect, useId, useState } from "react";
import { applyTheme, isThemeChoice, THEME_STORAGE_KEY, type ThemeChoice } from "@/lib/theme";

const CHOICES: { value: ThemeChoice; label: string }[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return isThemeChoice(value) ? value : "system";
  } catch {
    return "system"; // storage blocked: follow the system
  }
}

/** Light / dark / system. Persisted; "system" follows prefers-color-scheme live. */
export function ThemeToggle({ className = "" }: { className?: string }) {
  const id = useId();
  // null until read from storage: the pre-paint script already applied it, so nothing to do yet.
  const [choice, setChoice] = useState<ThemeChoice | null>(null);

  useEffect(() => setChoice(stored()), []);
  useEffect(() => {
    if (choice === null) return;
    applyTheme(choice);
    if (choice !== "system") return;
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => applyTheme("system");
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, [choice]);

  const choose = (next: ThemeChoice) => {
    setChoice(next);
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      applyTheme(next); // not persisted (storage blocked), still applied for this page
    }
  };

  return (
    <span className={`inline-flex items-center gap-1.5 text-fg-subtle ${className}`}>
      <span aria-hidden>◐</span>
      <label htmlFor={id} className="sr-only">
        Theme
      </label>
      <select
        id={id}
        value={choice ?? "system"}
        onChange={(e) => isThemeChoice(e.target.value) && choose(e.target.value)}
        className="rounded-md border border-line-strong bg-surface px-2 py-1 text-sm text-fg focus-visible:outline-2 focus-visible:outline-focus"
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </span>
  );
}
