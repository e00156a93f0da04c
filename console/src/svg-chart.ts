import type { EChartsCoreOption } from 'echarts/core';
import { init } from 'echarts/core';
import { type DependencyList, useEffect, useRef } from 'react';

/**
 * An ECharts chart drawn as SVG into the returned ref's element, sized to it (redrawn when it resizes) and
 * disposed with the component. `option` is rebuilt whenever `deps` change. Each chart still registers the
 * ECharts parts it draws (`use([...])`) in its own module, so its lazy chunk stays small.
 */
export function useSvgChart(option: () => EChartsCoreOption, deps: DependencyList) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: 'svg' });
    chart.setOption(option());
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what its option depends on.
  }, deps);
  return ref;
}
