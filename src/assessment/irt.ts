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

/** The level a point of the scale stands for: the largest L in 0..maxLevel with θ ≥ L. */
export function levelAt(theta: number, maxLevel: number): number {
  // The epsilon keeps grid points computed as 0.9999… in the bin of 1.
  return Math.max(0, Math.min(maxLevel, Math.floor(theta + 1e-9)));
}

export interface Grid {
  points: Float64Array;
  /** Uniform spacing of the points (the prior is built by recurrence on it). */
  step: number;
  /** Population prior N(priorMean, priorSd²), unnormalised, at every point. */
  prior: Float64Array;
  /** levelAt(point, maxLevel) for every point. */
  level: Uint8Array;
  maxLevel: number;
}

export function makeGrid(settings: IrtSettings, maxLevel: number): Grid {
  const n = settings.gridPoints;
  const points = new Float64Array(n);
  const level = new Uint8Array(n);
  const step = (settings.gridMax - settings.gridMin) / (n - 1);
  for (let i = 0; i < n; i++) {
    points[i] = settings.gridMin + i * step;
    level[i] = levelAt(points[i]!, maxLevel);
  }
  const grid: Grid = { points, step, prior: new Float64Array(n), level, maxLevel };
  normalDensity(grid, settings.priorMean, settings.priorSd, grid.prior);
  return grid;
}

/**
 * exp(−(x − mean)² / 2sd²) at every grid point, by recurrence from the point nearest the mean (a few
 * exponentials instead of one per point: this runs for every competence on every request).
 */
export function normalDensity(grid: Grid, mean: number, sd: number, out: Float64Array): void {
  const { points, step } = grid;
  const n = points.length;
  const variance = sd * sd;
  const q = Math.exp((-step * step) / variance);
  const centre = Math.max(0, Math.min(n - 1, Math.round((mean - points[0]!) / step)));
  const at = (i: number) => Math.exp((-0.5 * (points[i]! - mean) ** 2) / variance);
  out[centre] = at(centre);
  // Ratio between neighbours: w[i+1]/w[i] = exp(−((x_i − mean)·h + h²/2)/v), itself shrinking by q.
  let ratio = Math.exp(-((points[centre]! - mean) * step + 0.5 * step * step) / variance);
  for (let i = centre; i < n - 1; i++) {
    out[i + 1] = out[i]! * ratio;
    ratio *= q;
  }
  ratio = Math.exp(-(-(points[centre]! - mean) * step + 0.5 * step * step) / variance);
  for (let i = centre; i > 0; i--) {
    out[i - 1] = out[i]! * ratio;
    ratio *= q;
  }
}

/** P(right) and P(wrong) of an item at every grid point: computed once per challenge. */
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
    right[i] = p;
    wrong[i] = 1 - p;
  }
  return { right, wrong };
}

export interface Estimate {
  theta: number;
  sd: number;
}

export interface Posterior extends Estimate {
  /** Most probable level and its probability. */
  level: number;
  levelProbability: number;
}

/**
 * Multiplies a likelihood by an item's curve, rescaling now and then so that long tests never
 * underflow (the scale of a likelihood does not matter).
 */
export function multiplyInto(likelihood: Float64Array, curve: Float64Array, rescale: boolean): void {
  let max = 0;
  for (let i = 0; i < likelihood.length; i++) {
    const v = likelihood[i]! * curve[i]!;
    likelihood[i] = v;
    if (v > max) max = v;
  }
  if (rescale && max > 0) {
    const inverse = 1 / max;
    for (let i = 0; i < likelihood.length; i++) likelihood[i]! *= inverse;
  }
}

/** EAP of prior × likelihood (undefined likelihood: the prior alone); no weights kept. */
export function meanOf(grid: Grid, prior: Float64Array, likelihood: Float64Array | undefined): number {
  const points = grid.points;
  let total = 0;
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const w = likelihood ? prior[i]! * likelihood[i]! : prior[i]!;
    total += w;
    sum += w * points[i]!;
  }
  return sum / total;
}

/**
 * Posterior of prior × likelihood on the grid: EAP, SD and modal level; the normalised weights are
 * written into `weights`, when given, for callers that need more (P(θ ≥ δ) for the result).
 */
export function posterior(
  grid: Grid,
  prior: Float64Array,
  likelihood: Float64Array | undefined,
  weights: Float64Array | undefined,
  levelMass: Float64Array,
): Posterior {
  const { points, level } = grid;
  levelMass.fill(0);
  let total = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < points.length; i++) {
    const w = likelihood ? prior[i]! * likelihood[i]! : prior[i]!;
    if (weights) weights[i] = w;
    total += w;
    const x = points[i]!;
    sum += w * x;
    sumSquares += w * x * x;
    levelMass[level[i]!]! += w;
  }
  const inverse = 1 / total;
  if (weights) for (let i = 0; i < points.length; i++) weights[i]! *= inverse;
  let best = 0;
  for (let l = 1; l <= grid.maxLevel; l++) if (levelMass[l]! > levelMass[best]!) best = l;
  const theta = sum * inverse;
  return {
    theta,
    sd: Math.sqrt(Math.max(0, sumSquares * inverse - theta * theta)),
    level: best,
    levelProbability: levelMass[best]! * inverse,
  };
}

/** P(θ ≥ threshold) under normalised posterior weights. */
export function probabilityAtLeast(grid: Grid, weights: Float64Array, threshold: number): number {
  let p = 0;
  for (let i = 0; i < weights.length; i++) if (grid.points[i]! >= threshold - 1e-9) p += weights[i]!;
  return p;
}

export interface Item {
  difficulty: number;
  discrimination: number;
  correct: boolean;
}

/** EAP and posterior SD under the population prior, from a few answered items (tests, tools). */
export function estimateAbility(grid: Grid, items: readonly Item[]): Posterior {
  const n = grid.points.length;
  const likelihood = new Float64Array(n).fill(1);
  items.forEach((item, k) => {
    const curves = itemCurves(grid, item.difficulty, item.discrimination);
    multiplyInto(likelihood, item.correct ? curves.right : curves.wrong, k % 16 === 15);
  });
  return posterior(grid, grid.prior, likelihood, new Float64Array(n), new Float64Array(grid.maxLevel + 1));
}
