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

/** log P(right) and log P(wrong) of an item at every grid point: computed once per challenge. */
export interface ItemCurves {
  right: Float64Array;
  wrong: Float64Array;
}

export function itemCurves(grid: Grid, difficulty: number, discrimination: number): ItemCurves {
  const n = grid.points.length;
  const right = new Float64Array(n);
  const wrong = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = probability(grid.points[i]!, difficulty, discrimination);
    right[i] = Math.log(p);
    wrong[i] = Math.log(1 - p);
  }
  return { right, wrong };
}

/** Expected a posteriori ability and posterior SD, on the grid, after some answers. */
export function estimateAbility(grid: Grid, items: readonly Item[]): Estimate {
  return estimateFromCurves(
    grid,
    items.map((item) => {
      const curves = itemCurves(grid, item.difficulty, item.discrimination);
      return item.correct ? curves.right : curves.wrong;
    }),
  );
}

/** The same, from precomputed log-likelihood curves (the engine's hot path). */
export function estimateFromCurves(grid: Grid, logLikelihoods: readonly Float64Array[]): Estimate {
  const n = grid.points.length;
  const logPost = Float64Array.from(grid.logPrior);
  for (const curve of logLikelihoods) {
    for (let i = 0; i < n; i++) logPost[i]! += curve[i]!;
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
