import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { useColorScheme } from '../lib/hooks.js';
import { isolatedIndices } from '../lib/series.js';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  /** Index into the palette (--chart-0 … --chart-7) or a named token such as `--bad`. */
  color: number | string;
  bars?: boolean;
}

interface ChartProps {
  title: string;
  /** Unix seconds. */
  x: number[];
  series: ChartSeries[];
  height?: number;
  yFormat?: (value: number) => string;
  /** Read by screen readers instead of the canvas. */
  summary: string;
}

type UPlotCtor = typeof uPlot;
/** A constructor wrapped in an object: useState would call a bare function as an updater. */
interface UPlotModule {
  UPlot: UPlotCtor;
}
let loading: Promise<UPlotModule> | undefined;

/** uPlot and its CSS load with the first chart, so the initial bundle stays small. */
function loadUPlot(): Promise<UPlotModule> {
  loading ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([module]) => ({
    UPlot: (module as { default?: UPlotCtor }).default ?? (module as unknown as UPlotCtor),
  }));
  return loading;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function colorOf(color: number | string): string {
  return cssVar(typeof color === 'number' ? `--chart-${color % 8}` : color);
}

/** A time-series chart; the element keeps its height while loading, so nothing jumps. */
export function Chart({ title, x, series, height = 220, yFormat, summary }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [module, setModule] = useState<UPlotModule | undefined>();
  const shape = `${series.map((s) => `${s.label}:${s.bars ? 'b' : 'l'}`).join('|')}`;
  const scheme = useColorScheme();

  useEffect(() => {
    void loadUPlot().then(setModule);
  }, []);

  // Rebuild when the series or the theme change; otherwise only the data is swapped (no flicker on polling).
  useEffect(() => {
    if (!module || !host.current) return;
    const { UPlot } = module;
    const axisColor = cssVar('--text-muted');
    const gridColor = cssVar('--border');
    const options: uPlot.Options = {
      width: host.current.clientWidth || 600,
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
        {
          stroke: axisColor,
          grid: { stroke: gridColor, width: 1 },
          ticks: { stroke: gridColor },
          size: 60,
          values: (_u, values) => values.map((v) => (yFormat ? yFormat(v) : String(v))),
        },
      ],
      series: [
        {},
        ...series.map((s) => {
          const stroke = colorOf(s.color);
          return {
            label: s.label,
            stroke,
            width: 2,
            fill: s.bars ? stroke + '99' : undefined,
            paths: s.bars ? UPlot.paths.bars?.({ size: [0.6, 40] }) : undefined,
            points: {
              size: 7,
              fill: stroke,
              show: (self: uPlot) => self.data[0].length < 3,
              // A lone value between empty buckets has no line to be part of: mark it.
              filter: (self: uPlot, index: number, show: boolean) => {
                if (show) return null;
                const lone = isolatedIndices(self.data[index]);
                return lone.length ? lone : null;
              },
            },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : yFormat ? yFormat(v) : String(v)),
          };
        }),
      ],
    };
    plot.current?.destroy();
    plot.current = new UPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, host.current);
    const observer = new ResizeObserver(() => {
      if (host.current && plot.current) plot.current.setSize({ width: host.current.clientWidth, height });
    });
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [module, shape, height, scheme]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [x, series]);

  return (
    <figure class="chart">
      <figcaption>
        {title}
        {series.some((s) => s.values.some((v) => v !== null && v !== 0)) ? null : (
          <span class="muted chart-empty"> · nothing in this range yet</span>
        )}
      </figcaption>
      <div
        class="chart-canvas"
        ref={host}
        role="img"
        aria-label={`${title}: ${summary}`}
        style={{ minHeight: `${height + 40}px` }}
      />
    </figure>
  );
}
