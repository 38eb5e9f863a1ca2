import { z } from 'zod';
import type { AnswerValue } from '../../assessment';
import type { AnswerInput, ElementSubmission } from '../../learning';

/** urlencoded bodies give a string for one value and an array for repeated keys. */
const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const answerFormSchema = z.looseObject({
  challengeId: z.string().min(1).max(200),
  skip: z.string().optional(),
  choice: many,
});

function prefixed(body: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (!k.startsWith(prefix) || k.length > prefix.length + 200) continue;
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string') out[k.slice(prefix.length)] = value.slice(0, 2000);
  }
  return out;
}

/** The runner's form → the use case's input; undefined when the form is not one of ours. */
export function parseAnswerForm(body: unknown): AnswerInput | undefined {
  const parsed = answerFormSchema.safeParse(body ?? {});
  if (!parsed.success) return undefined;
  const { challengeId, skip, choice } = parsed.data;
  if (skip) return { challengeId, skip: true };
  const values = prefixed(parsed.data, 'field.');
  const value: AnswerValue =
    Object.keys(values).length > 0
      ? { type: 'fields', values }
      : { type: 'choices', ids: choice.slice(0, 50) };
  return { challengeId, value };
}

const elementFormSchema = z.looseObject({
  element: z.string().min(1).max(200),
  kind: z.enum(['qcu', 'qcm', 'qrocm', 'sorter', 'flashcards']),
  choice: many,
});

/** A module element's form → its submission. */
export function parseElementForm(
  body: unknown,
): { elementId: string; submission: ElementSubmission } | undefined {
  const parsed = elementFormSchema.safeParse(body ?? {});
  if (!parsed.success) return undefined;
  const { element, kind, choice } = parsed.data;
  const fields = parsed.data as Record<string, unknown>;
  let submission: ElementSubmission;
  switch (kind) {
    case 'qcu':
      submission = { kind, choice: choice[0] ?? '' };
      break;
    case 'qcm':
      submission = { kind, choices: choice.slice(0, 50) };
      break;
    case 'qrocm':
      submission = { kind, values: prefixed(fields, 'field.') };
      break;
    case 'sorter':
      submission = { kind, cards: prefixed(fields, 'card.') };
      break;
    case 'flashcards':
      submission = { kind, seen: true };
      break;
  }
  return { elementId: element, submission };
}
