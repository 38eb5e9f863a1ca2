import type { IrtSettings } from './constants';

/** 2PL on the level scale: chance that ability θ answers right an item of difficulty δ, discrimination α. */
export function probability(theta: number, difficulty: number, discrimination: number): number {
  return 1 / (1 + Math.exp(discrimination * (difficulty - theta)));
}

/** Fisher information of a 2PL item at θ. */
export function information(theta: number, difficulty: number, discrimination: number): number {
  const p = probability(theta, difficulty, discrimination);
  return discrimination * discrimination * p * (1 - p);
}

export interface Grid {
  points: Float64Array;
  logPrior: Float64Array;
}

export function makeGrid(settings: IrtSettings): Grid {
  const n = settings.gridPoints;
  const points = new Float64Array(n);
  const logPrior = new Float64Array(n);
  const step = (settings.gridMax - settings.gridMin) / (n - 1);
  for (let i = 0; i < n; i++) {
    const x = settings.gridMin + i * step;
    points[i] = x;
    const z = (x - settings.priorMean) / settings.priorSd;
    logPrior[i] = -0.5 * z * z;
  }
  return { points, logPrior };
}

export interface Item {
  difficulty: number;
  discrimination: number;
  correct: boolean;
}

export interface Estimate {
  theta: number;
  sd: number;
}

/** Expected a posteriori ability and posterior SD, on the grid, after some answers. */
export function estimateAbility(grid: Grid, items: readonly Item[]): Estimate {
  const n = grid.points.length;
  const logPost = Float64Array.from(grid.logPrior);
  for (const item of items) {
    for (let i = 0; i < n; i++) {
      const p = probability(grid.points[i]!, item.difficulty, item.discrimination);
      logPost[i]! += Math.log(item.correct ? p : 1 - p);
    }
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logPost[i]! > max) max = logPost[i]!;
  let total = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(logPost[i]! - max);
    logPost[i] = w;
    total += w;
    mean += w * grid.points[i]!;
  }
  mean /= total;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const d = grid.points[i]! - mean;
    variance += logPost[i]! * d * d;
  }
  return { theta: mean, sd: Math.sqrt(variance / total) };
}
