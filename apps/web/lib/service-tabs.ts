/**
 * The service page's tabs and their deep links (`/services/<id>?tab=settings`): one URL per
 * tab, so a tab can be shared, bookmarked and reached with the back button. PURE.
 */
export const SERVICE_TABS = [
  { id: "overview", label: "Overview" },
  { id: "deployments", label: "Deployments" },
  { id: "logs", label: "Logs" },
  { id: "terminal", label: "Terminal" },
  { id: "jobs", label: "Run & cron" },
  { id: "variables", label: "Variables" },
  { id: "domains", label: "Domains" },
  { id: "settings", label: "Settings" },
  { id: "webhooks", label: "Webhooks" },
  { id: "previews", label: "Previews" },
] as const;

export type ServiceTab = (typeof SERVICE_TABS)[number]["id"];

/** The tabs a service of this kind has: only web services have domains and previews. */
export function tabsFor(kind: string): (typeof SERVICE_TABS)[number][] {
  return SERVICE_TABS.filter((t) => (t.id !== "domains" && t.id !== "previews") || kind === "web");
}

/** The tab a `?tab=` value opens; anything unknown (or a tab this kind lacks) opens the overview. */
export function tabFromParam(param: string | string[] | undefined | null, kind: string): ServiceTab {
  const value = Array.isArray(param) ? param[0] : param;
  return tabsFor(kind).find((t) => t.id === value)?.id ?? "overview";
}

/** The link to a tab; the overview is the page's own URL. */
export function tabHref(serviceId: string, tab: ServiceTab): string {
  return tab === "overview" ? `/services/${serviceId}` : `/services/${serviceId}?tab=${tab}`;
}
