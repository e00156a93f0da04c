import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useSvgChart } from '../../svg-chart.ts';

// Only the parts this chart draws, so the chunk stays small.
use([LineChart, GridComponent, TooltipComponent, SVGRenderer]);

const INK = '#243b53';
const LINE = '#0b3d91';

/**
 * An RM's score over the last periods as a small line (SVG); a period not computed is a gap, not a zero.
 * To assistive technology the chart is one image named by `label`; the table beside it has the figures.
 */
export default function TrendChart({
  points,
  label,
}: {
  points: { periodStart: string; score: number | null }[];
  label: string;
}) {
  const ref = useSvgChart(
    () => ({
      animation: false,
      grid: { left: 40, right: 16, top: 16, bottom: 28 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        // MM-DD: the year crowds a small axis.
        data: points.map((p) => p.periodStart.slice(5)),
        axisLabel: { color: INK },
        axisLine: { lineStyle: { color: INK } },
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: INK } },
      series: [
        {
          type: 'line',
          data: points.map((p) => (p.score === null ? null : Number(p.score.toFixed(2)))),
          itemStyle: { color: LINE },
          lineStyle: { color: LINE },
          connectNulls: false,
        },
      ],
    }),
    [points],
  );
  return (
    <div ref={ref} role="img" aria-label={label} style={{ width: '100%', maxWidth: 560, height: 180 }} />
  );
}
