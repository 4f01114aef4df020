import type { Metadata } from "next";
import { SessionsPanel } from "@/components/account/sessions-panel";
import { TokensPanel } from "@/components/account/tokens-panel";
import { TwoFactorPanel } from "@/components/account/two-factor-panel";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Account" };

export default function AccountPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Account" subtitle="Your API tokens, sessions and two-factor authentication." />
      <TokensPanel />
      <SessionsPanel />
      <TwoFactorPanel />
    </div>
  );
}
