import type { ReactNode } from "react";

/** The heading row of a page: a title, an optional line under it and actions on the right. */
export function PageHeader({
  title,
  subtitle,
  actions,
  eyebrow,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  eyebrow?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0 space-y-1">
        {eyebrow && <div className="text-sm text-fg-subtle">{eyebrow}</div>}
        {/* Long names wrap instead of being cut off. */}
        <h1 className="text-2xl font-semibold break-words text-fg">{title}</h1>
        {subtitle && <div className="text-sm text-fg-muted">{subtitle}</div>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

export function Panel({
  title,
  children,
  actions,
  className = "",
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  const headingId = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section aria-labelledby={headingId} className={`rounded-lg border border-line bg-surface shadow-xs ${className}`}>
      <div className="flex items-center justify-between gap-3 border-b border-line px-5 py-3">
        <h2 id={headingId} className="text-base font-semibold text-fg">
          {title}
        </h2>
        {actions}
      </div>
      <div className="p-5">{children}</div>
    </section>
  );
}
