import type { Audience, Locale, ParcoursDef, StepDef } from '../content/schema';
import type { AssessmentConfig } from './assessment';

export type ParcoursNext = { done: false; step: StepDef; index: number } | { done: true };

/** Steps are taken in order; the next one is the first not completed (by step id). */
export function nextParcoursStep(parcours: ParcoursDef, completedStepIds: Iterable<string>): ParcoursNext {
  const completed = new Set(completedStepIds);
  const index = parcours.steps.findIndex((s) => !completed.has(s.id));
  return index === -1 ? { done: true } : { done: false, step: parcours.steps[index]!, index };
}

/** The engine configuration of an assessment step; the step's algorithm overrides the parcours'. */
export function assessmentConfigForStep(
  parcours: ParcoursDef,
  step: Extract<StepDef, { type: 'assessment' }>,
  learner: { seed: number; locale: Locale; audience?: Audience },
): AssessmentConfig {
  return {
    target: step.targetProfile,
    algorithm: step.algorithm ?? parcours.algorithm,
    seed: learner.seed,
    locale: learner.locale,
    ...(learner.audience ? { audience: learner.audience } : {}),
    ...(step.maxChallenges !== undefined ? { maxChallenges: step.maxChallenges } : {}),
    ...(step.sequence ? { sequence: step.sequence } : {}),
  };
}

/**
 * The parcours mastery is the mean mastery of its assessment steps (0..100); the attestation is earned
 * once every step is completed and that mean reaches `minMastery`.
 */
export function parcoursOutcome(
  parcours: ParcoursDef,
  completedStepIds: Iterable<string>,
  masteryPercentByStep: Readonly<Record<string, number>>,
): { finished: boolean; masteryPercent?: number; attestationEarned: boolean } {
  const finished = nextParcoursStep(parcours, completedStepIds).done;
  const assessed = parcours.steps
    .filter((s) => s.type === 'assessment')
    .map((s) => masteryPercentByStep[s.id]);
  const known = assessed.filter((m): m is number => m !== undefined);
  const masteryPercent =
    known.length > 0 ? Math.round(known.reduce((a, b) => a + b, 0) / known.length) : undefined;
  const attestation = parcours.attestation;
  const attestationEarned =
    finished &&
    attestation !== undefined &&
    known.length === assessed.length &&
    (masteryPercent ?? 100) >= attestation.minMastery;
  return { finished, ...(masteryPercent !== undefined ? { masteryPercent } : {}), attestationEarned };
}
