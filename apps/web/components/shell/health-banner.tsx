"use client";

import { useQuery } from "@tanstack/react-query";
import { type Health, healthProblems } from "@/lib/health";

async function fetchHealth(): Promise<{ health: Health | null; reachable: boolean }> {
  try {
    const res = await fetch("/healthz", { cache: "no-store", signal: AbortSignal.timeout(8000) });
    return { health: (await res.json()) as Health, reachable: true };
  } catch {
    return { health: null, reachable: false };
  }
}

/** A banner naming whatever Berth depends on that is down right now (PostgreSQL, Docker Engine). */
export function HealthBanner() {
  const query = useQuery({ queryKey: ["healthz"], queryFn: fetchHealth, refetchInterval: 5000, retry: false });
  const problems = query.data ? healthProblems(query.data.health, query.data.reachable) : [];
  if (problems.length === 0) return null;
  return (
    <div role="alert" data-testid="health-banner" className="border-b border-amber-300 bg-amber-50 px-6 py-2 text-sm text-amber-900">
      <ul className="mx-auto max-w-6xl space-y-1">
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );
}
