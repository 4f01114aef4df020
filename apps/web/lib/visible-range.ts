/** Height of one log row in px (the `h-5` of LOG_ROW_CLASS). */
export const ROW_PX = 20;
/** Rows rendered beyond each edge of the view, so fast scrolling shows no blank band. */
export const OVERSCAN = 30;

/** The rows [first, last) a virtualised list renders for a scroll position and view height. */
export function visibleRange({ scrollTop, height, count }: { scrollTop: number; height: number; count: number }): {
  first: number;
  last: number;
} {
  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_PX) + OVERSCAN);
  return { first, last: Math.max(first, last) };
}
