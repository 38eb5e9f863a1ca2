import { assessmentConfigForStep, startAssessment } from '../assessment';
import type { ContentBank } from '../content/bank';
import type { ParcoursDef } from '../content/schema';
import type { ActivityKind } from '../db/tables/learning';
import { maxPixOf } from '../learning/activity';

/**
 * What the gradebook receives for an activity. The deep-linking response writes the teacher's choice
 * in the link's custom parameters (`grading=pix|mastery|completion`) next to `activity=<id>`; every
 * launch of that link carries it back, and the placement records it (src/learning/placements.ts).
 */
import type { GradedChoice } from '../learning/placements';
export {
  GRADING_CUSTOM_KEY,
  gradedChoiceSchema,
  gradingFromCustom,
  type GradedChoice,
} from '../learning/placements';

/** Which gradings an activity offers: pix needs an assessment (a module alone has no pix). */
export function gradingsFor(kind: ActivityKind, maxPix: number): GradedChoice[] {
  return kind === 'parcours' && maxPix > 0 ? ['pix', 'mastery', 'completion'] : ['mastery', 'completion'];
}

/** The column maximum of a grading: pix → the most the target profiles can give, mastery → 100, completion → 1. */
export function scoreMaximumFor(grading: GradedChoice, maxPix: number): number {
  if (grading === 'pix') return maxPix > 0 ? maxPix : 1;
  return grading === 'mastery' ? 100 : 1;
}

/**
 * The most pix a parcours can give: for each assessment step, every target skill validated (the
 * learner side's own maxPixOf, so the column maximum and the scores agree), summed over the steps.
 */
export function parcoursMaxPix(bank: ContentBank, parcours: ParcoursDef): number {
  let total = 0;
  for (const step of parcours.steps) {
    if (step.type !== 'assessment') continue;
    total += maxPixOf(
      startAssessment(bank, assessmentConfigForStep(parcours, step, { seed: 0, locale: 'fr' })),
    );
  }
  return total;
}
