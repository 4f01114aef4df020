"use client";

import { IntentLink } from "../ui/intent-link";
import { usePathname } from "next/navigation";
import { roleAtLeast } from "@/lib/roles";
import { useSession } from "./session";
import { SignOutButton } from "./sign-out-button";
import { TeamSwitcher } from "./team-switcher";
import { ThemeToggle } from "../ui/theme-toggle";

const linkClass =
  "shrink-0 rounded-md px-2 py-1 text-sm text-fg-muted hover:bg-surface-muted aria-[current=page]:bg-surface-muted aria-[current=page]:font-medium aria-[current=page]:text-fg focus-visible:outline-2 focus-visible:outline-focus";

export function TopBar() {
  const pathname = usePathname();
  const onSettings = pathname.startsWith("/settings");
  const { me, team } = useSession();
  const admin = roleAtLeast(team.role, "admin");

  return (
    <header className="border-b border-line bg-surface">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <IntentLink
          href="/"
          className="flex items-center gap-2 rounded-md text-lg font-semibold text-fg focus-visible:outline-2 focus-visible:outline-focus"
        >
          <span aria-hidden className="grid size-7 place-items-center rounded-md bg-accent text-sm text-on-accent">
            B
          </span>
          Berth
        </IntentLink>
        <TeamSwitcher />
        <nav
          aria-label="Main"
          className="relative order-last -mx-2 flex w-full items-center gap-1 overflow-x-auto px-2 sm:order-none sm:mx-0 sm:w-auto sm:px-0"
        >
          <IntentLink href="/" className={linkClass} aria-current={pathname === "/" ? "page" : undefined}>
            Projects
          </IntentLink>
          <IntentLink href="/team" className={linkClass} aria-current={pathname.startsWith("/team") ? "page" : undefined}>
            Team
          </IntentLink>
          {admin && (
            <IntentLink href="/audit" className={linkClass} aria-current={pathname.startsWith("/audit") ? "page" : undefined}>
              Audit log
            </IntentLink>
          )}
          <IntentLink href="/account" className={linkClass} aria-current={pathname.startsWith("/account") ? "page" : undefined}>
            Account
          </IntentLink>
          {me.user.instanceRole === "owner" && (
            <IntentLink href="/servers" className={linkClass} aria-current={pathname.startsWith("/servers") ? "page" : undefined}>
              Servers
            </IntentLink>
          )}
          {me.user.instanceRole === "owner" && (
            <IntentLink href="/settings" className={linkClass} aria-current={onSettings ? "page" : undefined}>
              Settings
            </IntentLink>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <ThemeToggle />
          <span className="hidden text-sm text-fg-subtle md:inline" title={me.user.email}>
            {me.user.name}
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
