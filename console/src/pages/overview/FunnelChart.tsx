import { FunnelChart as Funnel } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useSvgChart } from '../../svg-chart.ts';
import { INK, STAGE_COLORS, type Stage } from './chart-data.ts';

// Only the parts this chart draws, so the chunk stays small.
use([Funnel, TooltipComponent, SVGRenderer]);

/**
 * The send funnel, widest stage on top (SVG), each stage labelled with its name and count. To assistive
 * technology the chart is one image named by `label`, which states every stage's figure.
 */
export default function FunnelChart({
  stages,
  label,
}: {
  stages: { stage: Stage; name: string; value: number }[];
  label: string;
}) {
  const ref = useSvgChart(
    () => ({
      animation: false,
      tooltip: { trigger: 'item', formatter: '{b}: {c}' },
      series: [
        {
          type: 'funnel',
          // The stages are nested subsets: keep their order, and scale every width to the first.
          sort: 'none',
          min: 0,
          max: Math.max(1, ...stages.map((s) => s.value)),
          minSize: '8%',
          left: '10%',
          right: '10%',
          top: 8,
          bottom: 8,
          gap: 2,
          label: { position: 'inside', color: '#fff', formatter: '{b} {c}' },
          labelLine: { show: false },
          data: stages.map((s) => ({
            name: s.name,
            value: s.value,
            itemStyle: { color: STAGE_COLORS[s.stage] },
            // A stage too narrow for white text inside is labelled beside it, in ink.
            ...(s.value === 0 ? { label: { position: 'right', color: INK } } : {}),
          })),
        },
      ],
    }),
    [stages],
  );
  return <div ref={ref} className="plot" role="img" aria-label={label} />;
}
