import type { CompetenceDistribution } from './class-view';

export interface ChartBar {
  level: number;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
  labelX: number;
  labelY: number;
}

export interface DistributionChart {
  competenceId: string;
  width: number;
  height: number;
  bars: ChartBar[];
  /** The axis baseline. */
  baseY: number;
}

/**
 * Geometry of a small bar chart per competence (learners per level), drawn as inline SVG by the view;
 * the page also shows the same numbers as a table, so the chart is never the only way to read them.
 */
export function distributionChart(
  d: CompetenceDistribution,
  opts: { width?: number; height?: number } = {},
): DistributionChart {
  const width = opts.width ?? 240;
  const height = opts.height ?? 110;
  const top = 16;
  const bottom = 20;
  const gap = 4;
  const n = d.counts.length;
  const barWidth = (width - gap * (n + 1)) / n;
  const max = Math.max(1, ...d.counts);
  const baseY = height - bottom;
  const bars = d.counts.map((count, level) => {
    const h = ((baseY - top) * count) / max;
    const x = gap + level * (barWidth + gap);
    return {
      level,
      count,
      x: Math.round(x * 10) / 10,
      y: Math.round((baseY - h) * 10) / 10,
      width: Math.round(barWidth * 10) / 10,
      height: Math.round(h * 10) / 10,
      labelX: Math.round((x + barWidth / 2) * 10) / 10,
      labelY: Math.round((baseY - h - 3) * 10) / 10,
    };
  });
  return { competenceId: d.competenceId, width, height, bars, baseY };
}
