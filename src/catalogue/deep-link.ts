import { z } from 'zod';
import type { DeepLinkingSettings, LtiResourceLinkItem } from '../../lti';
import type { Locale } from '../content/schema';
import { GRADING_CUSTOM_KEY, gradedChoiceSchema, type GradedChoice } from '../grades/grading';
import { ACTIVITY_CUSTOM_KEY } from '../learning/placements';
import { entryScoreMaximum, type CatalogueEntry } from './catalogue';

/** The teacher's choice: which entries, each with its grading. */
export const selectionSchema = z
  .array(z.object({ value: z.string().min(1).max(120), grading: gradedChoiceSchema }))
  .max(50);
export type Selection = z.infer<typeof selectionSchema>;

export type SelectionProblem =
  'nothing_selected' | 'multiple_refused' | 'links_refused' | 'unknown_activity' | 'grading_refused';

export class SelectionError extends Error {
  constructor(public readonly problem: SelectionProblem) {
    super(problem);
    this.name = 'SelectionError';
  }
}

/** Whether the platform takes what the catalogue returns. */
export function acceptsResourceLinks(settings: DeepLinkingSettings): boolean {
  return settings.accept_types.includes('ltiResourceLink');
}

/**
 * The content items for a selection: an LTI resource link per activity, launching our launch URL with
 * `activity=<kind:id>` and `grading=<choice>` in custom, and (unless the platform declines line items)
 * a lineItem so Moodle creates the gradebook column with the right maximum.
 */
export function contentItemsFor(
  settings: DeepLinkingSettings,
  catalogue: ReadonlyMap<string, CatalogueEntry>,
  selection: Selection,
  opts: { launchUrl: string; locale: Locale },
): LtiResourceLinkItem[] {
  if (!acceptsResourceLinks(settings)) throw new SelectionError('links_refused');
  if (selection.length === 0) throw new SelectionError('nothing_selected');
  if (selection.length > 1 && settings.accept_multiple !== true) throw new SelectionError('multiple_refused');
  const targets = settings.accept_presentation_document_targets ?? [];
  return selection.map(({ value, grading }) => {
    const entry = catalogue.get(value);
    if (!entry) throw new SelectionError('unknown_activity');
    if (!entry.gradings.includes(grading)) throw new SelectionError('grading_refused');
    const title = entry.title[opts.locale];
    const item: LtiResourceLinkItem = {
      type: 'ltiResourceLink',
      url: opts.launchUrl,
      title,
      text: entry.description[opts.locale],
      custom: { [ACTIVITY_CUSTOM_KEY]: entry.value, [GRADING_CUSTOM_KEY]: grading },
    };
    if (targets.length > 0 && !targets.includes('iframe') && targets.includes('window')) {
      item.window = { targetName: 'pix-lti' };
    }
    if (settings.accept_lineitem !== false) {
      item.lineItem = {
        scoreMaximum: entryScoreMaximum(entry, grading),
        label: title,
        resourceId: entry.value,
        tag: `pix-lti-${grading}`,
      };
    }
    return item;
  });
}

/** Reads the form: `pick` (one or several values) and `grading.<value>` per picked value. */
export function selectionFromForm(
  body: Record<string, unknown>,
  catalogue: ReadonlyMap<string, CatalogueEntry>,
): Selection {
  const raw = body.pick;
  const picks = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (v): v is string => typeof v === 'string',
  );
  const out: Selection = [];
  for (const value of [...new Set(picks)].slice(0, 50)) {
    const entry = catalogue.get(value);
    const g = gradedChoiceSchema.safeParse(body[`grading.${value}`]);
    const grading: GradedChoice = g.success ? g.data : (entry?.defaultGrading ?? 'completion');
    out.push({ value, grading });
  }
  return selectionSchema.parse(out);
}
