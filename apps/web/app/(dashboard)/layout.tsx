import { HydrationBoundary } from "@tanstack/react-query";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { DashboardShell } from "@/components/shell/dashboard-shell";
import { accountOnServer } from "@/lib/server-data";

/** Every dashboard page: the account comes with the HTML (or the page goes to /sign-in). */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const account = await accountOnServer();
  if (account.signedOut) redirect("/sign-in");
  return (
    <HydrationBoundary state={account.state}>
      <DashboardShell chosenTeamId={account.chosenTeamId}>{children}</DashboardShell>
    </HydrationBoundary>
  );
}
