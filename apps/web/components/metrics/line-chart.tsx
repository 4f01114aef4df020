import { chartPaths, type Series } from "@/lib/metrics";

const WIDTH = 320;
const HEIGHT = 80;
const COLORS = ["stroke-indigo-600", "stroke-emerald-600"];
const SWATCHES = ["bg-indigo-600", "bg-emerald-600"];

export interface LineChartProps {
  title: string;
  /** One or two series on one scale. */
  series: Series[];
  /** The latest value in words (e.g. "12% of one CPU"). */
  summary: string;
  /** The scale's top (e.g. the memory limit); the largest value when higher. */
  max?: number;
  formatTop: (v: number) => string;
  testId?: string;
}

/** A dependency-free SVG line chart; `data-samples` counts the points drawn (for tests). */
export function LineChart({ title, series, summary, max, formatTop, testId }: LineChartProps) {
  const count = Math.max(0, ...series.map((s) => s.values.length));
  const { paths, top } = count > 0 ? chartPaths(series, WIDTH, HEIGHT, max) : { paths: [], top: max ?? 0 };
  return (
    <figure data-testid={testId} data-samples={count} className="min-w-0 rounded-md border border-slate-200 p-3">
      <figcaption className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-800">{title}</span>
        <span className="truncate text-slate-600" data-testid={testId ? `${testId}-value` : undefined}>
          {summary}
        </span>
      </figcaption>
      {count === 0 ? (
        <p className="grid h-20 place-items-center text-xs text-slate-500">Waiting for samples…</p>
      ) : (
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          className="mt-2 h-20 w-full overflow-visible"
          role="img"
          aria-label={`${title}: ${summary}`}
        >
          <line x1={0} x2={WIDTH} y1={0} y2={0} className="stroke-slate-200" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" />
          <line x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} className="stroke-slate-300" vectorEffect="non-scaling-stroke" />
          {paths.map((d, i) => (
            <path
              key={series[i]?.label ?? i}
              d={d}
              fill="none"
              strokeWidth={1.5}
              className={COLORS[i % COLORS.length]}
              vectorEffect="non-scaling-stroke"
            />
          ))}
        </svg>
      )}
      <div className="mt-1 flex flex-wrap justify-between gap-2 text-xs text-slate-500">
        <span>max {formatTop(top)}</span>
        {series.length > 1 && (
          <span className="flex gap-3">
            {series.map((s, i) => (
              <span key={s.label} className="flex items-center gap-1">
                <span aria-hidden className={`size-2 rounded-full ${SWATCHES[i % SWATCHES.length]}`} />
                {s.label}
              </span>
            ))}
          </span>
        )}
      </div>
    </figure>
  );
}
