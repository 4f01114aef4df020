import { IntentLink } from "../ui/intent-link";
import { tabHref, tabsFor, type ServiceTab } from "@/lib/service-tabs";

/**
 * The service page's sections as links (one URL each: shareable, back-button friendly); the
 * current one carries aria-current="page". Scrolls sideways on a narrow screen.
 */
export function ServiceTabs({ serviceId, kind, current }: { serviceId: string; kind: string; current: ServiceTab }) {
  return (
    <nav aria-label="Service sections" className="relative -mx-1 overflow-x-auto px-1">
      <ul className="flex min-w-max gap-1 border-b border-line">
        {tabsFor(kind).map((t) => {
          const active = t.id === current;
          return (
            <li key={t.id}>
              <IntentLink
                href={tabHref(serviceId, t.id)}
                scroll={false}
                aria-current={active ? "page" : undefined}
                data-testid={`tab-${t.id}`}
                className={`-mb-px inline-block rounded-t-md border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-focus ${
                  active ? "border-accent text-fg" : "border-transparent text-fg-muted hover:border-line-strong hover:text-fg"
                }`}
              >
                {t.label}
              </IntentLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
