import { z } from 'zod';
import type { Challenge, ContentBank, SkillInfo } from '../content/bank';
import { algorithm, audience, LOCALES, targetProfileSchema } from '../content/schema';
import { IRT, SCORING, type IrtSettings } from './constants';
import type { Knowledge } from './knowledge';
import type { Replayed } from './replay';
import { itemCurves, makeGrid, type Grid, type ItemCurves } from './irt';

/** What a caller needs to start an assessment (validated with zod: it crosses the use-case boundary). */
export const assessmentConfigSchema = z.object({
  target: targetProfileSchema,
  algorithm: algorithm,
  /** Drawn once by the caller (from its injected randomness) and stored with the attempt. */
  seed: z.number().int().min(0).max(0xffffffff),
  locale: z.enum(LOCALES),
  /** Only challenges written for this audience are proposed; omit to allow every audience. */
  audience: audience.optional(),
  maxChallenges: z.number().int().min(1).max(500).optional(),
  /** For `fixed`: the teacher's sequence of challenge ids. */
  sequence: z.array(z.string()).optional(),
});
export type AssessmentConfig = z.input<typeof assessmentConfigSchema>;

export interface EngineSettings {
  maxLevel: number;
  irt: IrtSettings;
}

export const DEFAULT_SETTINGS: EngineSettings = { maxLevel: SCORING.defaultMaxLevel, irt: IRT };

export interface TargetTube {
  tubeId: string;
  competenceId: string;
  maxLevel: number;
  /** Target skills of the tube, ascending by level. */
  skills: SkillInfo[];
}

/**
 * An assessment ready to run: the target resolved against the bank and the proposable challenges
 * indexed. A pure function of (bank, config, settings), so callers may cache it or rebuild it at will;
 * everything that depends on the learner is rebuilt from stored answers on each call.
 */
export interface Assessment {
  bank: ContentBank;
  config: z.output<typeof assessmentConfigSchema>;
  settings: EngineSettings;
  tubes: TargetTube[];
  tubeById: Map<string, TargetTube>;
  competenceIds: string[];
  targetSkills: SkillInfo[];
  targetSkillIds: Set<string>;
  /** Challenges that may be proposed: in a target skill, the learner's locale and audience. */
  candidates: Challenge[];
  candidatesBySkill: Map<string, Challenge[]>;
  candidatesByCompetence: Map<string, Challenge[]>;
  /** Pix value of every skill of the target's competences (see scoring.ts for N). */
  skillPix: Map<string, number>;
  /** Difficulty used to turn an ability into skills: the mean δ of the skill's challenges. */
  skillDifficulty: Map<string, number>;
  grid: Grid;
  /** Log-likelihood curves per challenge on the grid, filled on first use (a cache, not state). */
  curves: Map<string, ItemCurves>;
  /** Positions and scratch buffers for the per-request hot path (derived from the above, never state). */
  index: AssessmentIndex;
}

export interface AssessmentIndex {
  /** Position of each target competence in `competenceIds`. */
  competence: Map<string, number>;
  /** Proposable challenges per competence position. */
  candidateCount: Int32Array;
  candidateIds: Set<string>;
  /**
   * The answers the per-competence likelihoods below were last computed from. A request whose answers
   * extend them only multiplies in the new ones: the same numbers, in the same order, as from scratch.
   */
  replayed: Replayed;
  distinct: Set<string>;
  /** Knowledge (direct and inferred) from the answers `knowledgeReplayed` records, for the selectors. */
  knowledgeReplayed: Replayed;
  knowledge: Knowledge;
  answered: Int32Array;
  usedCandidates: Int32Array;
  information: Float64Array;
  likelihood: Float64Array[];
  /** Each competence's EAP from its own answers under the population prior; NaN: to recompute. */
  ownTheta: Float64Array;
  /** Scratch buffers overwritten by each call: posterior weights, prior, level masses. */
  weights: Float64Array[];
  prior: Float64Array;
  levelMass: Float64Array;
}

function makeIndex(
  competenceIds: readonly string[],
  candidates: readonly Challenge[],
  grid: Grid,
): AssessmentIndex {
  const n = grid.points.length;
  const competence = new Map(competenceIds.map((id, k) => [id, k]));
  const candidateCount = new Int32Array(competenceIds.length);
  for (const c of candidates) candidateCount[competence.get(c.competenceId)!]!++;
  return {
    competence,
    candidateCount,
    candidateIds: new Set(candidates.map((c) => c.id)),
    replayed: { ids: [], correct: [] },
    distinct: new Set(),
    knowledgeReplayed: { ids: [], correct: [] },
    knowledge: new Map(),
    answered: new Int32Array(competenceIds.length),
    usedCandidates: new Int32Array(competenceIds.length),
    information: new Float64Array(competenceIds.length),
    ownTheta: new Float64Array(competenceIds.length).fill(NaN),
    likelihood: competenceIds.map(() => new Float64Array(n).fill(1)),
    weights: competenceIds.map(() => new Float64Array(n)),
    prior: new Float64Array(n),
    levelMass: new Float64Array(grid.maxLevel + 1),
  };
}

export function curvesOf(assessment: Assessment, challenge: Challenge): ItemCurves {
  let curves = assessment.curves.get(challenge.id);
  if (!curves) {
    curves = itemCurves(assessment.grid, challenge.irt.difficulty, challenge.irt.discrimination);
    assessment.curves.set(challenge.id, curves);
  }
  return curves;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Skill pix value = min(4, 8 / N) where N counts the skills of the competence at that level in the
 * whole bank, not in the target profile: pix measure a competence, so the same knowledge must earn the
 * same pix in every parcours (a narrow target would otherwise inflate each of its skills up to 4 pix).
 * The target's own coverage is what the mastery rate measures.
 */
export function skillPixValues(bank: ContentBank, competenceIds: Iterable<string>): Map<string, number> {
  const wanted = new Set(competenceIds);
  const counts = new Map<string, number>();
  for (const skill of bank.skills.values()) {
    if (!wanted.has(skill.competenceId)) continue;
    const key = `${skill.competenceId}|${skill.level}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const values = new Map<string, number>();
  for (const skill of bank.skills.values()) {
    const n = counts.get(`${skill.competenceId}|${skill.level}`);
    if (n) values.set(skill.id, Math.min(SCORING.maxSkillPix, SCORING.pixPerLevel / n));
  }
  return values;
}

export function startAssessment(
  bank: ContentBank,
  input: AssessmentConfig,
  overrides: { maxLevel?: number; irt?: Partial<IrtSettings> } = {},
): Assessment {
  const config = assessmentConfigSchema.parse(input);
  const settings: EngineSettings = {
    ...DEFAULT_SETTINGS,
    ...overrides,
    irt: { ...DEFAULT_SETTINGS.irt, ...overrides.irt },
  };

  // Resolve tubes and competences to capped tubes; a tube named twice keeps its highest cap.
  const caps = new Map<string, number>();
  const cap = (tubeId: string, level: number) => caps.set(tubeId, Math.max(caps.get(tubeId) ?? 0, level));
  for (const { competence, maxLevel } of config.target.competences) {
    const info = bank.competences.get(competence);
    if (!info) throw new Error(`target profile names unknown competence ${competence}`);
    for (const tubeId of info.tubeIds) cap(tubeId, maxLevel);
  }
  for (const { tube, maxLevel } of config.target.tubes) {
    if (!bank.tubes.has(tube)) throw new Error(`target profile names unknown tube ${tube}`);
    cap(tube, maxLevel);
  }

  const tubes: TargetTube[] = [];
  for (const [tubeId, maxLevel] of caps) {
    const tube = bank.tubes.get(tubeId)!;
    const skills = tube.skills.filter((s) => s.level <= Math.min(maxLevel, settings.maxLevel));
    if (skills.length > 0) tubes.push({ tubeId, competenceId: tube.competenceId, maxLevel, skills });
  }
  const competenceIds = [...new Set(tubes.map((t) => t.competenceId))];
  const targetSkills = tubes.flatMap((t) => t.skills);

  const candidates: Challenge[] = [];
  const candidatesBySkill = new Map<string, Challenge[]>();
  const candidatesByCompetence = new Map<string, Challenge[]>();
  const skillDifficulty = new Map<string, number>();
  for (const skill of targetSkills) {
    let sum = 0;
    let count = 0;
    for (const id of skill.challengeIds) {
      const challenge = bank.challenges.get(id);
      if (!challenge) continue;
      sum += challenge.irt.difficulty;
      count++;
      if (!challenge.locales.includes(config.locale)) continue;
      if (config.audience && !challenge.audiences.includes(config.audience)) continue;
      candidates.push(challenge);
      push(candidatesBySkill, skill.id, challenge);
      push(candidatesByCompetence, skill.competenceId, challenge);
    }
    skillDifficulty.set(skill.id, count > 0 ? sum / count : skill.level);
  }

  const grid = makeGrid(settings.irt, settings.maxLevel);
  return {
    bank,
    config,
    settings,
    tubes,
    tubeById: new Map(tubes.map((t) => [t.tubeId, t])),
    competenceIds,
    targetSkills,
    targetSkillIds: new Set(targetSkills.map((s) => s.id)),
    candidates,
    candidatesBySkill,
    candidatesByCompetence,
    skillPix: skillPixValues(bank, competenceIds),
    skillDifficulty,
    grid,
    curves: new Map(),
    index: makeIndex(competenceIds, candidates, grid),
  };
}
