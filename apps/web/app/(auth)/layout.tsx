import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/ui/theme-toggle";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="relative flex min-h-screen flex-col items-center justify-center px-4 py-12 sm:px-6">
      <ThemeToggle className="absolute top-4 right-4" />
      <p className="mb-6 flex items-center gap-2 text-xl font-semibold text-fg">
        <span aria-hidden className="grid size-8 place-items-center rounded-md bg-accent text-on-accent">
          B
        </span>
        Berth
      </p>
      <div className="w-full max-w-sm rounded-lg border border-line bg-surface p-6 shadow-sm">{children}</div>
    </main>
  );
}
