import { BarChart as Bars } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useSvgChart } from '../../svg-chart.ts';

// Only the parts this chart draws, so the chunk stays small.
use([Bars, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const INK = '#243b53';

/** One series of bars: its legend name, colour and one value per category. */
export type BarSeries = { name: string; color: string; values: number[] };

/**
 * Bars per category (SVG), grouped when there are several series. To assistive technology the chart is one
 * image named by `label`, which states every figure; the page's table beside it carries them too.
 */
export default function BarChart({
  categories,
  series,
  label,
  format = (n) => String(n),
}: {
  categories: string[];
  series: BarSeries[];
  label: string;
  format?: (n: number) => string;
}) {
  const ref = useSvgChart(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: series.length > 1 ? { top: 0, textStyle: { color: INK } } : { show: false },
      grid: { left: 64, right: 16, top: series.length > 1 ? 32 : 24, bottom: 40 },
      xAxis: {
        type: 'category',
        data: categories,
        axisLabel: { color: INK, interval: 0 },
        axisLine: { lineStyle: { color: INK } },
      },
      yAxis: { type: 'value', min: 0, axisLabel: { color: INK } },
      series: series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.values,
        itemStyle: { color: s.color },
        barMaxWidth: 40,
        label: {
          show: true,
          position: 'top',
          color: INK,
          formatter: (p: { value: number }) => format(p.value),
        },
      })),
    }),
    [categories, series, format],
  );
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height: 280 }} />;
}
