import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { ServiceView } from "@/components/service/service-view";
import { pageDataOnServer } from "@/lib/server-data";

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
  // The service and its deployments come with the HTML (another team's service: the browser asks, and is refused).
  const state = await pageDataOnServer((trpc) => [
    trpc.services.get.queryKey({ serviceId }),
    trpc.deployments.list.queryKey({ serviceId }),
  ]);
  return (
    <HydrationBoundary state={state}>
      <ServiceView key={serviceId} serviceId={serviceId} tabParam={tab} taskParam={task} />
    </HydrationBoundary>
  );
}
