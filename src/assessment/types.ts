import { z } from 'zod';

/**
 * What a learner submits for one challenge. Parsed with zod at the boundary (form → use case), so the
 * checker can trust its shape. Sizes are bounded so a hostile form cannot make checking expensive.
 */
export const answerValueSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choices'), ids: z.array(z.string().max(200)).max(50) }).strict(),
  z
    .object({ type: z.literal('fields'), values: z.record(z.string().max(200), z.string().max(2000)) })
    .strict(),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

/** Outcome of checking one answer; `fields` gives per-field correctness for free-text answers. */
export const checkResultSchema = z.object({
  status: z.enum(['ok', 'ko']),
  fields: z.record(z.string(), z.boolean()).optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/**
 * Every status a stored answer can have. `skipped` and `timedout` are decided by the caller (the learner
 * pressed "skip", or the server saw the timer run out); only `ok` counts as a success anywhere.
 */
export const ANSWER_STATUSES = ['ok', 'ko', 'skipped', 'timedout'] as const;
export const answerStatusSchema = z.enum(ANSWER_STATUSES);
export type AnswerStatus = z.infer<typeof answerStatusSchema>;

/** One stored answer as the engine needs it, in the order given. The engine never stores anything. */
export const storedAnswerSchema = z.object({ challengeId: z.string(), status: answerStatusSchema });
export type StoredAnswer = z.infer<typeof storedAnswerSchema>;
