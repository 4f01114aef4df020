import type { Metadata } from "next";
import { ServiceView } from "@/components/service/service-view";

export const metadata: Metadata = { title: "Service" };

/** `?task=` a cluster service's task for the Logs and Terminal tabs; `?tab=` picks the section (overview, deployments, logs, terminal, variables, domains, settings, webhooks). */
export default async function ServicePage({
  params,
  searchParams,
}: {
  params: Promise<{ serviceId: string }>;
  searchParams: Promise<{ tab?: string | string[]; task?: string | string[] }>;
}) {
  const { serviceId } = await params;
  const { tab, task } = await searchParams;
  return <ServiceView key={serviceId} serviceId={serviceId} tabParam={tab} taskParam={task} />;
}
