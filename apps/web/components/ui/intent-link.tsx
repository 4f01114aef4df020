"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

type IntentLinkProps = Omit<ComponentProps<typeof Link>, "href" | "prefetch"> & { href: string };

/**
 * The dashboard's link between its pages. next/link prefetches every link that scrolls into
 * view, and each prefetch is a page rendered by the server, in the process that also runs the
 * control plane: the overview with 50 services asked for about 40 pages on every load (its rows
 * and the top bar's). This one prefetches when the reader reaches for it (pointer over it,
 * keyboard focus, touch), so a click still finds the page on its way.
 */
export function IntentLink({ href, onMouseEnter, onFocus, onTouchStart, ...props }: IntentLinkProps) {
  const router = useRouter();
  const prefetch = () => router.prefetch(href);
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(e) => {
        prefetch();
        onMouseEnter?.(e);
      }}
      onFocus={(e) => {
        prefetch();
        onFocus?.(e);
      }}
      onTouchStart={(e) => {
        prefetch();
        onTouchStart?.(e);
      }}
    />
  );
}
