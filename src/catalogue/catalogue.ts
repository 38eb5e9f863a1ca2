import { z } from 'zod';
import { assessmentConfigForStep, maxLength, startAssessment } from '../assessment';
import type { ContentBank } from '../content/bank';
import { AUDIENCES, type Audience, type Locale, type Localized } from '../content/schema';
import type { ActivityKind } from '../db/tables/learning';
import { gradingsFor, parcoursMaxPix, scoreMaximumFor, type GradedChoice } from '../grades/grading';

/**
 * The deep-linking catalogue: every assessment parcours, learning module and parents' course of the
 * content bank, with what a teacher filters on (audience, competence, kind, duration) and what the
 * gradebook needs (the gradings it offers and their column maximum). Built once from the bank.
 */

export const CATALOGUE_KINDS = ['assessment', 'module', 'parents'] as const;
export type CatalogueKind = (typeof CATALOGUE_KINDS)[number];

export const DURATIONS = ['short', 'medium', 'long'] as const;
export type Duration = (typeof DURATIONS)[number];
/** short ≤ 10 min, medium ≤ 30 min, long beyond. */
export function durationOf(minutes: number): Duration {
  return minutes <= 10 ? 'short' : minutes <= 30 ? 'medium' : 'long';
}

export interface CatalogueStep {
  kind: 'assessment' | 'module';
  title: Localized;
  minutes: number;
}

export interface CatalogueEntry {
  /** The value of the link's custom `activity` parameter: `parcours:<id>` or `module:<id>`. */
  value: string;
  activity: { kind: ActivityKind; id: string };
  kind: CatalogueKind;
  title: Localized;
  description: Localized;
  audiences: Audience[];
  competences: string[];
  minutes: number;
  duration: Duration;
  maxPix: number;
  /** The highest level the target profiles reach (0 without assessment). */
  maxLevel: number;
  gradings: GradedChoice[];
  defaultGrading: GradedChoice;
  steps: CatalogueStep[];
  objectives: Localized[];
}

/** Minutes of an assessment step: its bound when it has one, else about 2.5 challenges per competence, a minute each. */
function assessmentMinutes(bank: ContentBank, parcoursId: string, stepId: string): number {
  const parcours = bank.parcours.get(parcoursId)!;
  const step = parcours.steps.find((s) => s.id === stepId);
  if (!step || step.type !== 'assessment') return 0;
  const a = startAssessment(bank, assessmentConfigForStep(parcours, step, { seed: 0, locale: 'fr' }));
  const estimate = Math.max(5, Math.round(a.competenceIds.length * 2.5));
  const bound = maxLength(a);
  return Number.isFinite(bound) ? Math.min(bound, estimate) : estimate;
}

export function buildCatalogue(bank: ContentBank): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  for (const p of bank.parcours.values()) {
    const steps: CatalogueStep[] = [];
    const competences = new Set<string>();
    const objectives: Localized[] = [];
    let maxLevel = 0;
    for (const step of p.steps) {
      if (step.type === 'assessment') {
        for (const x of [...step.targetProfile.competences, ...step.targetProfile.tubes])
          maxLevel = Math.max(maxLevel, x.maxLevel);
        steps.push({
          kind: 'assessment',
          title: step.title,
          minutes: assessmentMinutes(bank, p.id, step.id),
        });
        for (const c of step.targetProfile.competences) competences.add(c.competence);
        for (const t of step.targetProfile.tubes) {
          const tube = bank.tubes.get(t.tube);
          if (tube) competences.add(tube.competenceId);
        }
      } else {
        const m = bank.modules.get(step.module);
        if (!m) continue;
        steps.push({ kind: 'module', title: m.title, minutes: m.details.minutes });
        m.competences.forEach((c) => competences.add(c));
        objectives.push(...m.details.objectives);
      }
    }
    const hasAssessment = steps.some((s) => s.kind === 'assessment');
    const maxPix = hasAssessment ? parcoursMaxPix(bank, p) : 0;
    const minutes = steps.reduce((n, s) => n + s.minutes, 0);
    const gradings = gradingsFor('parcours', maxPix);
    entries.push({
      value: `parcours:${p.id}`,
      activity: { kind: 'parcours', id: p.id },
      kind: hasAssessment ? 'assessment' : 'parents',
      title: p.title,
      description: p.description,
      audiences: [...p.audiences],
      competences: [...competences].sort(),
      minutes,
      duration: durationOf(minutes),
      maxPix,
      maxLevel,
      gradings,
      defaultGrading: hasAssessment ? 'mastery' : 'completion',
      steps,
      objectives,
    });
  }
  for (const m of bank.modules.values()) {
    entries.push({
      value: `module:${m.id}`,
      activity: { kind: 'module', id: m.id },
      kind: m.collection === 'parents' ? 'parents' : 'module',
      title: m.title,
      description: m.details.description,
      audiences: [...m.audiences],
      competences: [...m.competences].sort(),
      minutes: m.details.minutes,
      duration: durationOf(m.details.minutes),
      maxPix: 0,
      maxLevel: 0,
      gradings: gradingsFor('module', 0),
      defaultGrading: 'completion',
      steps: [{ kind: 'module', title: m.title, minutes: m.details.minutes }],
      objectives: [...m.details.objectives],
    });
  }
  const order: Record<CatalogueKind, number> = { assessment: 0, module: 1, parents: 2 };
  return entries.sort((a, b) => order[a.kind] - order[b.kind] || a.title.fr.localeCompare(b.title.fr, 'fr'));
}

/** What the teacher asks for (query string of the catalogue page), validated. */
export const catalogueFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  audience: z.enum(AUDIENCES).optional().catch(undefined),
  competence: z
    .string()
    .regex(/^[1-5]\.[1-4]$/)
    .optional()
    .catch(undefined),
  kind: z.enum(CATALOGUE_KINDS).optional().catch(undefined),
  duration: z.enum(DURATIONS).optional().catch(undefined),
});
export type CatalogueFilter = z.infer<typeof catalogueFilterSchema>;

/** Lower-case, accents removed: "écran" matches "Ecrans". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

export function filterCatalogue(
  entries: readonly CatalogueEntry[],
  filter: CatalogueFilter,
  locale: Locale,
  competenceTitle: (id: string) => string | undefined = () => undefined,
): CatalogueEntry[] {
  const words = filter.q ? fold(filter.q).split(/\s+/).filter(Boolean) : [];
  return entries.filter((e) => {
    if (filter.audience && !e.audiences.includes(filter.audience)) return false;
    if (filter.competence && !e.competences.includes(filter.competence)) return false;
    if (filter.kind && e.kind !== filter.kind) return false;
    if (filter.duration && e.duration !== filter.duration) return false;
    if (words.length === 0) return true;
    const haystack = fold(
      [
        e.title[locale],
        e.description[locale],
        e.activity.id,
        ...e.steps.map((s) => s.title[locale]),
        ...e.competences.map((c) => `${c} ${competenceTitle(c) ?? ''}`),
      ].join(' '),
    );
    return words.every((w) => haystack.includes(w));
  });
}

/** The line item maximum of an entry under a grading (the gradings it offers only). */
export function entryScoreMaximum(entry: CatalogueEntry, grading: GradedChoice): number {
  return scoreMaximumFor(grading, entry.maxPix);
}
