/**
 * Every number that shapes scoring and adaptive testing, in one place, as data. Tuning happens here
 * (and through `EngineSettings` overrides, which the simulation uses), never inside the algorithms.
 */
export const SCORING = {
  pixPerLevel: 8,
  /** A single skill never weighs more than half a level, however few skills a level has. */
  maxSkillPix: 4,
  /** Levels 1..7 of the framework are open by default (level 8 exists in content but is not scored). */
  defaultMaxLevel: 7,
  /** Tubes whose mastery is at least this share are strengths; at most `weaknessMax`, weaknesses. */
  strengthMin: 2 / 3,
  weaknessMax: 1 / 3,
} as const;

export const SMART_RANDOM = {
  /** Candidate predicted levels 0.5, 1, …, 7.5. */
  levelStep: 0.5,
  levelMin: 0.5,
  levelMax: 7.5,
  /** Two virtual answers anchor the estimate: an easy one right, a hard one wrong. */
  sentinelRightDifficulty: 0,
  sentinelWrongDifficulty: 7,
  /** Skills this far above the predicted level are not proposed. */
  maxLevelsAbovePrediction: 2,
  firstSkillLevel: 2,
  /** An "easy" tube for the first challenge tops out at this level in the target. */
  easyTubeMaxLevel: 3,
} as const;

export interface IrtSettings {
  /** Ability grid (level scale) on which the posterior is computed. */
  gridMin: number;
  gridMax: number;
  gridPoints: number;
  /** Normal prior on a competence's ability: the population, not the learner. */
  priorMean: number;
  priorSd: number;
  /** A competence stops once its posterior SD is below this (and it has `minPerCompetence` answers). */
  stopSd: number;
  minPerCompetence: number;
  maxPerCompetence: number;
  /** Exposure control: choose among the `topK` most informative, the first with this probability. */
  topK: number;
  firstPickProbability: number;
}

export const IRT: IrtSettings = {
  gridMin: -3,
  gridMax: 11,
  gridPoints: 71,
  priorMean: 2.5,
  priorSd: 1.6,
  stopSd: 0.6,
  minPerCompetence: 3,
  maxPerCompetence: 8,
  topK: 4,
  firstPickProbability: 0.6,
};

/** `random` (the control) asks this many challenges per target competence unless told otherwise. */
export const RANDOM_DEFAULT_PER_COMPETENCE = 6;
