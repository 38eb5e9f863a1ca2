import { assessmentConfigForStep, maxLength, startAssessment, type Assessment } from '../assessment';
import type { ContentBank } from '../content/bank';
import type { Audience, Locale, Localized, ModuleDef, ParcoursDef, StepDef } from '../content/schema';
import type { ActivityRef } from './placements';

export type AssessmentStepDef = Extract<StepDef, { type: 'assessment' }>;

export type ActivityStep =
  | { kind: 'assessment'; id: string; title: Localized; def: AssessmentStepDef }
  | { kind: 'module'; id: string; title: Localized; module: ModuleDef };

/** A placement's activity as the learner pages see it: a parcours, or a module as a one-step parcours. */
export interface ActivityDef {
  ref: ActivityRef;
  title: Localized;
  description: Localized;
  steps: ActivityStep[];
  parcours?: ParcoursDef;
}

export function activityDef(bank: ContentBank, ref: ActivityRef): ActivityDef | undefined {
  if (ref.kind === 'module') {
    const module = bank.modules.get(ref.id);
    if (!module) return undefined;
    return {
      ref,
      title: module.title,
      description: module.details.description,
      steps: [{ kind: 'module', id: module.id, title: module.title, module }],
    };
  }
  const parcours = bank.parcours.get(ref.id);
  if (!parcours) return undefined;
  const steps: ActivityStep[] = [];
  for (const step of parcours.steps) {
    if (step.type === 'assessment')
      steps.push({ kind: 'assessment', id: step.id, title: step.title, def: step });
    else {
      const module = bank.modules.get(step.module);
      if (module) steps.push({ kind: 'module', id: step.id, title: module.title, module });
    }
  }
  return { ref, title: parcours.title, description: parcours.description, steps, parcours };
}

/** A parcours for one audience filters its challenges by it; a parcours for several does not. */
export function audienceOf(activity: ActivityDef): Audience | undefined {
  const audiences = activity.parcours?.audiences ?? [];
  return audiences.length === 1 ? audiences[0] : undefined;
}

/**
 * Builds assessments from the bank. Indexing a target profile is the costly part and does not depend
 * on the learner's seed, so one assessment per (step, locale, audience) is kept and the seed swapped in.
 */
export class AssessmentFactory {
  private readonly cache = new Map<string, Assessment>();
  constructor(private readonly bank: ContentBank) {}

  for(
    activity: ActivityDef,
    step: Extract<ActivityStep, { kind: 'assessment' }>,
    seed: number,
    locale: Locale,
  ) {
    const audience = audienceOf(activity);
    const key = `${activity.ref.kind}:${activity.ref.id}|${step.id}|${locale}|${audience ?? ''}`;
    let base = this.cache.get(key);
    if (!base) {
      const parcours = activity.parcours!;
      base = startAssessment(
        this.bank,
        assessmentConfigForStep(parcours, step.def, { seed: 0, locale, audience }),
      );
      this.cache.set(key, base);
    }
    return { ...base, config: { ...base.config, seed } };
  }
}

/** How many challenges the learner should expect: the engine's bound, or the target's skills. */
export function expectedChallenges(assessment: Assessment): number {
  const bound = maxLength(assessment);
  return Math.max(1, Math.min(bound, assessment.targetSkills.length, assessment.candidates.length));
}

/** Pix if every target skill were validated (floored per competence, capped at the highest level). */
export function maxPixOf(assessment: Assessment): number {
  const perCompetence = new Map<string, number>();
  for (const skill of assessment.targetSkills) {
    perCompetence.set(
      skill.competenceId,
      (perCompetence.get(skill.competenceId) ?? 0) + (assessment.skillPix.get(skill.id) ?? 0),
    );
  }
  let total = 0;
  for (const pix of perCompetence.values())
    // Same epsilon as the scoring (3 × 8/3 must floor to 8), so a perfect learner reaches the maximum.
    total += Math.min(Math.floor(pix + 1e-9), assessment.settings.maxLevel * 8);
  return total;
}

/** Estimated minutes of a step: the module's own figure, or expected challenges × their mean time. */
export function stepMinutes(step: ActivityStep, assessment?: Assessment): number {
  if (step.kind === 'module') return step.module.details.minutes;
  if (!assessment || assessment.candidates.length === 0) return 5;
  const mean =
    assessment.candidates.reduce((n, c) => n + c.estimatedSeconds, 0) / assessment.candidates.length;
  return Math.max(1, Math.ceil((expectedChallenges(assessment) * mean) / 60 / 5) * 5);
}

/** The interactive elements of a module that have a right answer (flashcards have none). */
export function gradableElements(module: ModuleDef) {
  return module.sections
    .flatMap((s) => s.grains)
    .flatMap((g) => g.elements)
    .filter((e) => e.type === 'qcu' || e.type === 'qcm' || e.type === 'qrocm' || e.type === 'sorter');
}

export function grainsOf(module: ModuleDef) {
  return module.sections.flatMap((section) => section.grains.map((grain) => ({ section, grain })));
}
