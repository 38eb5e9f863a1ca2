import { z } from 'zod';

/** What a finished step left behind: its score (assessments) and when it ended. */
export const stepOutcomeSchema = z.object({
  kind: z.enum(['assessment', 'module']),
  completedAt: z.number(),
  pix: z.number().default(0),
  maxPix: z.number().default(0),
  /** Assessments: target mastery; modules: share of gradable elements answered right (100 when none). */
  masteryPercent: z.number().min(0).max(100),
  /** The engine's AssessmentResult (assessments only), computed once when the step ends. */
  result: z.unknown().optional(),
});
export type StepOutcome = z.infer<typeof stepOutcomeSchema>;

/** attempts.progress: per-attempt state that is not answers. */
export const attemptProgressSchema = z.object({
  /** Finished steps by step id. */
  done: z.record(z.string(), stepOutcomeSchema).default({}),
  /** Module steps: ids of the grains the learner went past, in order. */
  grains: z.record(z.string(), z.array(z.string())).default({}),
});
export type AttemptProgress = z.infer<typeof attemptProgressSchema>;

export function readProgress(json: string | null): AttemptProgress {
  if (!json) return { done: {}, grains: {} };
  return attemptProgressSchema.parse(JSON.parse(json));
}

/** The summary stored in attempts.result when the last step ends. */
export const attemptResultSchema = z.object({
  pix: z.number(),
  maxPix: z.number(),
  masteryPercent: z.number().optional(),
  attestationEarned: z.boolean(),
});
export type AttemptResult = z.infer<typeof attemptResultSchema>;
