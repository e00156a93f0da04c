import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useSvgChart } from '../../svg-chart.ts';

// Only the parts this chart draws, so the chunk stays small.
use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

const INK = '#243b53';
const BAR = '#0b3d91';

/**
 * The top scores as horizontal bars, best on top (SVG). To assistive technology the chart is one image
 * named by `label`, which states every bar's figure; the ranking tables carry the same figures.
 */
export default function TopScoresChart({
  bars,
  label,
}: {
  bars: { name: string; score: number }[];
  label: string;
}) {
  const ref = useSvgChart(
    () => ({
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: INK } },
      yAxis: {
        type: 'category',
        // The best first: a category axis draws its first value at the bottom unless inverted.
        inverse: true,
        data: bars.map((b) => b.name),
        axisLabel: { color: INK },
        axisLine: { lineStyle: { color: INK } },
      },
      series: [
        {
          type: 'bar',
          data: bars.map((b) => Number(b.score.toFixed(2))),
          itemStyle: { color: BAR },
          barMaxWidth: 18,
          label: { show: true, position: 'right', color: INK },
        },
      ],
    }),
    [bars],
  );
  return (
    <div
      ref={ref}
      role="img"
      aria-label={label}
      style={{ width: '100%', height: Math.max(120, 28 * bars.length + 40) }}
    />
  );
}
