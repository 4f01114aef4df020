import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-6 py-12">
      <p className="mb-6 flex items-center gap-2 text-xl font-semibold text-slate-900">
        <span aria-hidden className="grid size-8 place-items-center rounded-md bg-indigo-600 text-white">
          B
        </span>
        Berth
      </p>
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
    </main>
  );
}
