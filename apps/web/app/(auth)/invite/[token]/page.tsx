import type { Metadata } from "next";
import { AcceptInvite } from "@/components/invite/accept-invite";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <AcceptInvite token={decodeURIComponent(token)} />;
}
