import type { Metadata } from "next";
import { SessionsPanel } from "@/components/account/sessions-panel";
import { TokensPanel } from "@/components/account/tokens-panel";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Account" };

export default function AccountPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Account" subtitle="Your sessions and API tokens." />
      <TokensPanel />
      <SessionsPanel />
    </div>
  );
}
