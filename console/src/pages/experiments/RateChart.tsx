import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemReturn } from 'echarts';
import { BarChart, CustomChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useSvgChart } from '../../svg-chart.ts';

// Only the parts this chart draws, so the chunk stays small.
use([BarChart, CustomChart, GridComponent, SVGRenderer]);

const INK = '#243b53';
const BAR = '#7b93b8';
const WINNER = '#0b6e4f';

/** One bar: a variant's rate with its 95% interval, all as shares (0..1), null with nobody exposed. */
export type RateBar = {
  name: string;
  rate: number | null;
  low: number | null;
  high: number | null;
  winner: boolean;
};

const percent1 = (x: number) => Math.round(x * 1000) / 10;

/** Draws one interval: a vertical line from the lower to the upper bound with a short cap at each end. */
function errorBar(_params: unknown, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  const x = api.value(0);
  const low = api.coord([x, api.value(1)]);
  const high = api.coord([x, api.value(2)]);
  // A cap an eighth of a category's width; a fixed 8px if the API cannot size a category.
  const width = api.size?.([1, 0]);
  const cap = Array.isArray(width) ? (width[0] ?? 64) * 0.12 : 8;
  const style = { stroke: INK, lineWidth: 1.5 };
  const line = (x1: number, y1: number, x2: number, y2: number) => ({
    type: 'line' as const,
    shape: { x1, y1, x2, y2 },
    style,
  });
  return {
    type: 'group',
    children: [
      line(low[0]!, low[1]!, high[0]!, high[1]!),
      line(low[0]! - cap, low[1]!, low[0]! + cap, low[1]!),
      line(high[0]! - cap, high[1]!, high[0]! + cap, high[1]!),
    ],
  };
}

/**
 * Each variant's conversion rate as a bar (the winner in green) with its 95% confidence interval as an error
 * bar (SVG). To assistive technology the chart is one image named by `label`, which states every rate and
 * interval; the table beside it carries the same figures.
 */
export default function RateChart({ bars, label }: { bars: RateBar[]; label: string }) {
  const ref = useSvgChart(
    () => ({
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: {
        type: 'category',
        data: bars.map((b) => b.name),
        axisLabel: { color: INK, interval: 0 },
        axisLine: { lineStyle: { color: INK } },
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: INK, formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 56,
          data: bars.map((b) => ({
            value: b.rate === null ? '-' : percent1(b.rate),
            itemStyle: { color: b.winner ? WINNER : BAR },
          })),
        },
        {
          type: 'custom',
          renderItem: errorBar,
          z: 10,
          data: bars.flatMap((b, i) =>
            b.low === null || b.high === null ? [] : [[i, percent1(b.low), percent1(b.high)]],
          ),
        },
      ],
    }),
    [bars],
  );
  return <div ref={ref} className="experiment-plot" role="img" aria-label={label} />;
}
