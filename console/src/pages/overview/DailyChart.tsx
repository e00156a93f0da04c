import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useSvgChart } from '../../svg-chart.ts';
import { INK, STATUS_COLORS, STATUSES, type Status } from './chart-data.ts';

// Only the parts this chart draws, so the chunk stays small.
use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/**
 * Deliveries per day as stacked bars, one colour per status (SVG). To assistive technology the chart is one
 * image named by `label`; the table beside it carries the figures.
 */
export default function DailyChart({
  days,
  names,
  label,
}: {
  days: ({ date: string } & Record<Status, number>)[];
  /** The legend's name of each status. */
  names: Record<Status, string>;
  label: string;
}) {
  const ref = useSvgChart(
    () => ({
      animation: false,
      grid: { left: 40, right: 12, top: 36, bottom: 28 },
      legend: { top: 0, textStyle: { color: INK } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        // MM-DD: the year is the same for nearly every bar and crowds the axis.
        data: days.map((d) => d.date.slice(5)),
        axisLabel: { color: INK },
        axisLine: { lineStyle: { color: INK } },
      },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: INK } },
      series: STATUSES.map((s) => ({
        name: names[s],
        type: 'bar',
        stack: 'deliveries',
        data: days.map((d) => d[s]),
        itemStyle: { color: STATUS_COLORS[s] },
        barMaxWidth: 32,
      })),
    }),
    [days, names],
  );
  return <div ref={ref} className="plot" role="img" aria-label={label} />;
}
