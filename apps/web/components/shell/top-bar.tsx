"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { roleAtLeast } from "@/lib/roles";
import { useSession } from "./session";
import { SignOutButton } from "./sign-out-button";
import { TeamSwitcher } from "./team-switcher";

const linkClass =
  "rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-100 aria-[current=page]:font-medium aria-[current=page]:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600";

export function TopBar() {
  const pathname = usePathname();
  const onSettings = pathname.startsWith("/settings");
  const { me, team } = useSession();
  const admin = roleAtLeast(team.role, "admin");

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-6 py-3">
        <Link href="/" className="flex items-center gap-2 rounded-md text-lg font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
          <span aria-hidden className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white">
            B
          </span>
          Berth
        </Link>
        <TeamSwitcher />
        <nav aria-label="Main" className="flex items-center gap-1">
          <Link href="/" className={linkClass} aria-current={pathname === "/" ? "page" : undefined}>
            Projects
          </Link>
          <Link href="/team" className={linkClass} aria-current={pathname.startsWith("/team") ? "page" : undefined}>
            Team
          </Link>
          {admin && (
            <Link href="/audit" className={linkClass} aria-current={pathname.startsWith("/audit") ? "page" : undefined}>
              Audit log
            </Link>
          )}
          <Link href="/account" className={linkClass} aria-current={pathname.startsWith("/account") ? "page" : undefined}>
            Account
          </Link>
          {me.user.instanceRole === "owner" && (
            <Link href="/settings" className={linkClass} aria-current={onSettings ? "page" : undefined}>
              Settings
            </Link>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <span className="hidden text-sm text-slate-500 sm:inline" title={me.user.email}>
            {me.user.name}
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
