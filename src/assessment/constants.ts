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
  /**
   * Normal prior on a competence's ability in the population the tool serves (pupils from 6e to the
   * end of lycée, adults): not fitted to any simulation, reasoned from the scale. The Ministry's
   * expectations (256 to 384 pix over 16 competences, i.e. levels 2 to 3) put the centre near 2.5;
   * an SD of 1.5 keeps levels 0 to 5.5 within two SDs, the span real groups cover.
   */
  priorMean: number;
  priorSd: number;
  /**
   * Hierarchical prior: a learner's competences share a general ability and differ from it by about
   * `competenceSd` (digital skills correlate, as every large assessment observes). Once other
   * competences have answers, a competence's prior is centred on what they say, shrunk towards the
   * population, with this spread instead of the population's. Off: every competence starts from the
   * population prior.
   */
  hierarchical: boolean;
  competenceSd: number;
  /**
   * Fisher information assumed per answer (times α²) when another competence's estimate is turned into
   * evidence about the general ability: a fixed nominal value, so that the prior moves only with the
   * answers' outcomes, monotonically (the realised information would make it depend on them twice).
   */
  itemInformation: number;
  /**
   * A competence stops once it has `minPerCompetence` answers and either its posterior SD is below
   * `stopSd` or its most probable level has at least `stopLevelProbability` (1 disables it); or once it
   * has `maxPerCompetence` answers.
   */
  stopSd: number;
  stopLevelProbability: number;
  minPerCompetence: number;
  maxPerCompetence: number;
  /** Exposure control: choose among the `topK` most informative, the first with this probability. */
  topK: number;
  firstPickProbability: number;
  /**
   * How the result turns the estimate into skills. `answers`: direct results and inference inside a
   * tube stand (as for the other algorithms), the ability estimate decides only the skills nothing
   * says anything about. `ability`: every target skill is decided by the ability estimate (the answers
   * already moved it), as flash-style testing does.
   */
  skillEvidence: 'answers' | 'ability' | 'tubes';
  /**
   * For `skillEvidence: 'tubes'` (see tube-mastery.ts): how far a tube's mastery strays from its
   * competence's ability (SD, levels), and the chances of a wrong answer on a mastered skill and a
   * right one on an unmastered skill. A-priori values: a tube is a topic, typically within a level of
   * the competence; one careless error in ten; a guess among four options.
   */
  tubeSd: number;
  slip: number;
  guess: number;
  /** Prefer challenges whose skill the answers do not already settle inside its tube. */
  preferUnsettled: boolean;
}

export const IRT: IrtSettings = {
  gridMin: -3,
  gridMax: 11,
  gridPoints: 71,
  priorMean: 2.5,
  priorSd: 1.5,
  hierarchical: true,
  competenceSd: 0.85,
  itemInformation: 0.2,
  stopSd: 0.6,
  stopLevelProbability: 0.7,
  minPerCompetence: 3,
  maxPerCompetence: 8,
  topK: 4,
  firstPickProbability: 0.6,
  skillEvidence: 'answers',
  tubeSd: 0.7,
  slip: 0.1,
  guess: 0.25,
  preferUnsettled: true,
};

/** `random` (the control) asks this many challenges per target competence unless told otherwise. */
export const RANDOM_DEFAULT_PER_COMPETENCE = 6;
