import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useSvgChart } from '../../svg-chart.ts';

// Only the parts this chart draws, so the chunk stays small.
use([BarChart, GridComponent, SVGRenderer]);

const INK = '#243b53';
const BAR = '#0b3d91';

/**
 * Deflection rate per category as bars (SVG). The chart is one image to assistive technology, named by
 * `label` (a summary of every bar); the table beside it carries the details.
 */
export default function DeflectionChart({
  bars,
  label,
}: {
  bars: { name: string; rate: number }[];
  label: string;
}) {
  const ref = useSvgChart(
    () => ({
      animation: false,
      grid: { left: 56, right: 16, top: 24, bottom: 40 },
      xAxis: {
        type: 'category',
        data: bars.map((b) => b.name),
        axisLabel: { color: INK, interval: 0 },
        axisLine: { lineStyle: { color: INK } },
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        axisLabel: { color: INK, formatter: '{value}%' },
      },
      series: [
        {
          type: 'bar',
          data: bars.map((b) => Math.round(b.rate * 1000) / 10),
          itemStyle: { color: BAR },
          barMaxWidth: 48,
          label: { show: true, position: 'top', color: INK, formatter: '{c}%' },
        },
      ],
    }),
    [bars],
  );
  return (
    <div
      ref={ref}
      className="faq-chart"
      role="img"
      aria-label={label}
      style={{ width: '100%', height: 280 }}
    />
  );
}
