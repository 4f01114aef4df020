"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { errorMessage } from "@/lib/errors";
import { formatBytes } from "@/lib/metrics";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Loading } from "../ui/query-state";

/**
 * "Reclaim space…": first lists what would go (a dry run: Berth's images beyond the retention,
 * dangling images, stale build cache; never volumes), then removes exactly that on confirm.
 */
export function ReclaimDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const preview = useQuery({ ...trpc.metrics.reclaimPreview.queryOptions(), enabled: open, staleTime: 0, gcTime: 0 });
  const reclaim = useMutation(
    trpc.metrics.reclaim.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.metrics.disk.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.metrics.reclaimPreview.queryKey() });
      },
    }),
  );
  const show = () => {
    reclaim.reset();
    setOpen(true);
    dialogRef.current?.showModal();
  };
  const close = () => {
    dialogRef.current?.close();
    setOpen(false);
  };
  const plan = preview.data;
  const nothing = plan !== undefined && plan.images.length === 0 && plan.buildCache.count === 0;

  return (
    <>
      <Button variant="secondary" onClick={show}>
        Reclaim space…
      </Button>
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        onClose={() => setOpen(false)}
        className="m-auto w-full max-w-2xl rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="space-y-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            Reclaim disk space
          </h2>
          <p className="text-sm text-slate-600">
            Removes Berth&apos;s images beyond the last 5 per service, untagged images and build cache unused for a day. Volumes are never
            touched.
          </p>
          {reclaim.data ? (
            <p role="status" className="text-sm text-emerald-800" data-testid="reclaim-result">
              Removed {reclaim.data.images.length} image(s)
              {reclaim.data.buildCache.count > 0 ? ` and ${reclaim.data.buildCache.count} build cache entries` : ""}, freeing{" "}
              {formatBytes(reclaim.data.freedBytes)}.
              {reclaim.data.failures.length > 0 &&
                ` ${reclaim.data.failures.length} could not be removed: ${reclaim.data.failures.join("; ")}`}
            </p>
          ) : preview.isError ? (
            <ErrorAlert
              message={`Could not list what would be removed. ${errorMessage(preview.error)}`}
              onRetry={() => void preview.refetch()}
              retrying={preview.isFetching}
            />
          ) : !plan ? (
            <Loading label="Listing what would be removed…" />
          ) : nothing ? (
            <p className="text-sm text-slate-700">Nothing to reclaim right now.</p>
          ) : (
            <div className="space-y-2" data-testid="reclaim-preview">
              <p className="text-sm font-medium text-slate-800">Will remove, about {formatBytes(plan.totalBytes)}:</p>
              <ul className="max-h-64 overflow-auto rounded-md border border-slate-200 text-sm">
                {plan.images.map((img) => (
                  <li key={img.id} className="flex justify-between gap-3 border-b border-slate-100 px-3 py-1.5 last:border-0">
                    <span className="truncate font-mono text-xs">{img.tags.length > 0 ? img.tags.join(", ") : `untagged ${img.id}`}</span>
                    <span className="shrink-0 text-slate-600">{formatBytes(img.sizeBytes)}</span>
                  </li>
                ))}
                {plan.buildCache.count > 0 && (
                  <li className="flex justify-between gap-3 px-3 py-1.5">
                    <span>{plan.buildCache.count} build cache entries</span>
                    <span className="text-slate-600">{formatBytes(plan.buildCache.sizeBytes)}</span>
                  </li>
                )}
              </ul>
            </div>
          )}
          {reclaim.error && <ErrorAlert message={errorMessage(reclaim.error)} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close} disabled={reclaim.isPending}>
              {reclaim.data ? "Close" : "Cancel"}
            </Button>
            {!reclaim.data && (
              <Button
                variant="danger"
                onClick={() => reclaim.mutate()}
                disabled={!plan || nothing}
                pending={reclaim.isPending}
                pendingLabel="Removing…"
              >
                Remove these
              </Button>
            )}
          </div>
        </div>
      </dialog>
    </>
  );
}
