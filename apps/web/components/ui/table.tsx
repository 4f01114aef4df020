import type { HTMLAttributes, ReactNode, TdHTMLAttributes } from "react";

export interface Column {
  label: string;
  /** Read by screen readers only (e.g. an actions column). */
  hidden?: boolean;
}

/**
 * The one data table of the app: a caption for screen readers, scoped column headers, rows
 * separated by lines, and horizontal scrolling inside its own box on a narrow screen (the box is
 * `relative` so the screen-reader-only header text, absolutely positioned, cannot widen the page).
 */
export function Table({ caption, columns, children }: { caption: string; columns: readonly Column[]; children: ReactNode }) {
  return (
    <div className="relative -mx-1 overflow-x-auto px-1">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs tracking-wide text-fg-subtle uppercase">
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className="py-2 pr-4 font-medium last:pr-0">
                {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Tr({ className = "", ...rest }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={`border-t border-line align-top ${className}`} {...rest} />;
}

export function Td({ className = "", ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={`py-2.5 pr-4 text-fg-muted last:pr-0 ${className}`} {...rest} />;
}

/** A two-line cell: a name and, under it, a quieter line (an email, a path). */
export function TwoLine({ primary, secondary }: { primary: ReactNode; secondary: ReactNode }) {
  return (
    <>
      <div className="font-medium text-fg">{primary}</div>
      <div className="text-fg-subtle">{secondary}</div>
    </>
  );
}
