import type { Localized, ParcoursDef } from '../content/schema';
import { competenceStates, type CompetenceState } from './algorithms/irt';
import { predictLevel } from './algorithms/smart-random';
import type { Assessment } from './assessment';
import { SCORING } from './constants';
import { inferKnowledge, resolveAnswers, type Knowledge, type SkillKnowledge } from './knowledge';
import { scoreCompetences } from './scoring';
import { tubeMasteryKnowledge } from './tube-mastery';
import type { StoredAnswer } from './types';

export type StageDef = ParcoursDef['stages'][number];
export type BadgeDef = ParcoursDef['badges'][number];

export interface CompetenceResult {
  competenceId: string;
  pix: number;
  level: number;
  answered: number;
  /**
   * Ability estimate on the level scale: the EAP for `irt` (with its posterior SD), smart random's
   * predicted level over this competence's answers otherwise; undefined when nothing was answered.
   */
  theta?: number;
  thetaSd?: number;
}

export interface TubeResult {
  tubeId: string;
  competenceId: string;
  validated: number;
  total: number;
  /** 0..1 */
  mastery: number;
}

export interface AssessmentResult {
  competences: CompetenceResult[];
  /** Sum of the competences' pix. */
  pix: number;
  /** Validated target skills / target skills, 0..1, and as a rounded percentage. */
  mastery: number;
  masteryPercent: number;
  stage?: { index: number; threshold: number; title: Localized; message: Localized };
  badges: { id: string; title: Localized; mastery: number; earned: boolean }[];
  /** Every skill with a known state, with how it became known. */
  skills: ({ skillId: string } & SkillKnowledge)[];
  validatedSkills: string[];
  invalidatedSkills: string[];
  tubes: TubeResult[];
  /** Target tubes mostly mastered (best first) and mostly not (weakest first). */
  strengths: string[];
  weaknesses: string[];
}

/**
 * For `irt`, skills nothing else decides come from the ability posterior: a skill is validated when
 * the learner more likely than not reaches its difficulty, P(θ ≥ δ) ≥ ½ (a success chance of at least
 * one half). With `skillEvidence: 'answers'` direct results and inference inside a tube stand first,
 * as for the other algorithms; with `'ability'` the posterior decides every target skill.
 */
function irtKnowledge(
  assessment: Assessment,
  answers: ReturnType<typeof resolveAnswers>,
  states: readonly CompetenceState[],
): Knowledge {
  const knowledge: Knowledge =
    assessment.settings.irt.skillEvidence === 'answers'
      ? inferKnowledge(assessment.bank, answers)
      : new Map();
  const { grid, index } = assessment;
  // Tail sums of each competence's posterior (left by competenceStates): P(θ ≥ grid point i).
  const tails = states.map((_, k) => {
    const weights = index.weights[k]!;
    const tail = new Float64Array(weights.length + 1);
    for (let i = weights.length - 1; i >= 0; i--) tail[i] = tail[i + 1]! + weights[i]!;
    return tail;
  });
  for (const skill of assessment.targetSkills) {
    if (knowledge.has(skill.id)) continue;
    const k = index.competence.get(skill.competenceId)!;
    const difficulty = assessment.skillDifficulty.get(skill.id)!;
    let i = 0;
    while (i < grid.points.length && grid.points[i]! < difficulty - 1e-9) i++;
    const validated = tails[k]![i]! >= 0.5;
    knowledge.set(skill.id, { status: validated ? 'validated' : 'invalidated', source: 'estimated' });
  }
  return knowledge;
}

function ratio(validated: number, total: number): number {
  return total === 0 ? 0 : validated / total;
}

export function computeResult(
  assessment: Assessment,
  answers: readonly StoredAnswer[],
  rewards: { stages?: readonly StageDef[]; badges?: readonly BadgeDef[] } = {},
): AssessmentResult {
  const { bank, settings } = assessment;
  const resolved = resolveAnswers(bank, answers);
  const isIrt = assessment.config.algorithm === 'irt';
  const states = isIrt ? competenceStates(assessment, resolved) : undefined;
  const knowledge = !states
    ? inferKnowledge(bank, resolved)
    : settings.irt.skillEvidence === 'tubes'
      ? tubeMasteryKnowledge(assessment, resolved, states)
      : irtKnowledge(assessment, resolved, states);

  const scores = scoreCompetences(
    assessment.competenceIds,
    knowledge,
    assessment.skillPix,
    (id) => bank.skills.get(id)?.competenceId,
    settings.maxLevel,
  );
  const estimates = states ? new Map(states.map((s) => [s.competenceId, s])) : undefined;
  const competences = scores.map((score): CompetenceResult => {
    const own = resolved.filter((a) => a.challenge.competenceId === score.competenceId);
    const estimate = estimates?.get(score.competenceId);
    if (estimate) return { ...score, answered: own.length, theta: estimate.theta, thetaSd: estimate.sd };
    return { ...score, answered: own.length, ...(own.length > 0 ? { theta: predictLevel(own) } : {}) };
  });

  const validatedIn = (skillIds: readonly string[]) =>
    skillIds.filter((id) => knowledge.get(id)?.status === 'validated').length;
  const tubes = assessment.tubes.map((tube): TubeResult => {
    const validated = validatedIn(tube.skills.map((s) => s.id));
    return {
      tubeId: tube.tubeId,
      competenceId: tube.competenceId,
      validated,
      total: tube.skills.length,
      mastery: ratio(validated, tube.skills.length),
    };
  });
  const mastery = ratio(
    tubes.reduce((n, t) => n + t.validated, 0),
    tubes.reduce((n, t) => n + t.total, 0),
  );
  const masteryPercent = Math.round(mastery * 100);

  let stage: AssessmentResult['stage'];
  (rewards.stages ?? []).forEach((s, index) => {
    if (masteryPercent >= s.threshold && (!stage || s.threshold >= stage.threshold)) {
      stage = { index, threshold: s.threshold, title: s.title, message: s.message };
    }
  });
  const badges = (rewards.badges ?? []).map((badge) => {
    const skillIds = badge.tubes.flatMap((t) => assessment.tubeById.get(t)?.skills.map((s) => s.id) ?? []);
    const badgeMastery = ratio(validatedIn(skillIds), skillIds.length);
    return {
      id: badge.id,
      title: badge.title,
      mastery: badgeMastery,
      earned: skillIds.length > 0 && badgeMastery * 100 >= badge.threshold - 1e-9,
    };
  });

  const skills = [...knowledge].map(([skillId, state]) => ({ skillId, ...state }));
  return {
    competences,
    pix: competences.reduce((n, c) => n + c.pix, 0),
    mastery,
    masteryPercent,
    ...(stage ? { stage } : {}),
    badges,
    skills,
    validatedSkills: skills.filter((s) => s.status === 'validated').map((s) => s.skillId),
    invalidatedSkills: skills.filter((s) => s.status === 'invalidated').map((s) => s.skillId),
    tubes,
    strengths: tubes
      .filter((t) => t.mastery >= SCORING.strengthMin)
      .sort((a, b) => b.mastery - a.mastery)
      .map((t) => t.tubeId),
    weaknesses: tubes
      .filter((t) => t.mastery <= SCORING.weaknessMax)
      .sort((a, b) => a.mastery - b.mastery)
      .map((t) => t.tubeId),
  };
}
