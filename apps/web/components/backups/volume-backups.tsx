"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { BackupsPanel } from "./backups-panel";

/** Backups of each of the service's named volumes (any service). */
export function VolumeBackups({
  serviceId,
  serviceName,
  canBackUp,
  isAdmin,
}: {
  serviceId: string;
  serviceName: string;
  canBackUp: boolean;
  isAdmin: boolean;
}) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.backups.overview.queryOptions({ serviceId, volume: "" }));
  return (
    <>
      {(overview.data?.volumes ?? []).map((v) => (
        <BackupsPanel
          key={v.name}
          serviceId={serviceId}
          serviceName={serviceName}
          canBackUp={canBackUp}
          isAdmin={isAdmin}
          volume={v.name}
        />
      ))}
    </>
  );
}
