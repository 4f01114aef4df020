"use client";

import { Fragment, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { ROW_PX, visibleRange } from "@/lib/visible-range";

const STICK_PX = 24;
/** Every row renders as one element with this class (exactly one line high). */
export const LOG_ROW_CLASS = "h-5 overflow-hidden whitespace-pre";

export interface VirtualLogProps<T> {
  rows: readonly T[];
  /** Changes whenever rows were added in place (the array may be mutated, not replaced). */
  version: number;
  rowKey: (row: T) => string | number;
  /** One element per row with LOG_ROW_CLASS. */
  renderRow: (row: T) => ReactNode;
  /** Accessible name of the scrolling region. */
  label: string;
  testId: string;
  empty: ReactNode;
  /** Stick to the newest row. Controlled when `onFollowChange` is given. */
  follow?: boolean;
  onFollowChange?: (follow: boolean) => void;
}

/**
 * A virtualised, monospace log (build logs and runtime logs): only the rows in view plus a
 * margin are in the DOM, so 100k lines scroll like 100. Rows are one line high (no wrap; the
 * region scrolls sideways). Follows the tail unless the user scrolled up or paused it.
 */
export function VirtualLog<T>({
  rows,
  version,
  rowKey,
  renderRow,
  label,
  testId,
  empty,
  follow: followProp,
  onFollowChange,
}: VirtualLogProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(384);
  const [ownFollow, setOwnFollow] = useState(true);
  const follow = followProp ?? ownFollow;
  const setFollow = onFollowChange ?? setOwnFollow;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight);
    if (follow) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [version, follow, rows.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    if (atBottom !== follow) setFollow(atBottom);
  };

  const { first, last } = visibleRange({ scrollTop, height, count: rows.length });
  const visible = rows.slice(first, last);

  return (
    <div className="code-surface relative">
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label={label}
        data-testid={testId}
        data-lines={rows.length}
        className="h-96 overflow-auto rounded-b-lg bg-slate-950 px-4 py-3 font-mono text-xs leading-5 text-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-400"
      >
        {rows.length === 0 ? (
          <div className="text-slate-400">{empty}</div>
        ) : (
          <div style={{ height: rows.length * ROW_PX, position: "relative" }}>
            <div style={{ position: "absolute", top: first * ROW_PX, left: 0, right: 0 }}>
              {visible.map((row) => (
                <Fragment key={rowKey(row)}>{renderRow(row)}</Fragment>
              ))}
            </div>
          </div>
        )}
      </div>
      {!follow && rows.length > 0 && (
        <button
          type="button"
          onClick={() => setFollow(true)}
          className="absolute right-4 bottom-3 rounded-md bg-slate-700 px-2 py-1 text-xs text-white focus-visible:outline-2 focus-visible:outline-indigo-400"
        >
          Jump to latest
        </button>
      )}
    </div>
  );
}
