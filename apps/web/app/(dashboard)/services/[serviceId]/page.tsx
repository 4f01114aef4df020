import type { Metadata } from "next";
import { ServiceView } from "@/components/service/service-view";

export const metadata: Metadata = { title: "Service" };

/** `?tab=` picks the section (overview, deployments, logs, terminal, variables, domains, settings, webhooks). */
export default async function ServicePage({
  params,
  searchParams,
}: {
  params: Promise<{ serviceId: string }>;
  searchParams: Promise<{ tab?: string | string[] }>;
}) {
  const { serviceId } = await params;
  const { tab } = await searchParams;
  return <ServiceView key={serviceId} serviceId={serviceId} tabParam={tab} />;
}
