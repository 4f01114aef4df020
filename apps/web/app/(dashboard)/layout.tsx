import type { ReactNode } from "react";
import { OverviewPrefetch } from "@/components/overview/overview-prefetch";
import { DashboardShell } from "@/components/shell/dashboard-shell";

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <OverviewPrefetch />
      <DashboardShell>{children}</DashboardShell>
    </>
  );
}
