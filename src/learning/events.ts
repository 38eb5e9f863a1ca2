import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db';

/**
 * The contract between the learner experience (which produces attempt events) and whatever must
 * follow an attempt elsewhere (AGS grades through the outbox, xAPI statements, …).
 *
 * Every use case that changes an attempt calls every sink with the SAME transaction that stored the
 * answer or the state change: either both the change and the sinks' rows are written, or neither.
 * Sinks must therefore only write rows (e.g. to the outbox) and never call the network, and must run
 * every query on `tx`: SQLite has a single connection, so a query outside the transaction waits forever.
 */

export const activityKindSchema = z.enum(['parcours', 'module']);
export type LearningActivityKind = z.infer<typeof activityKindSchema>;

export const attemptResultSummarySchema = z.object({
  /** Global pix over the attempt's assessments (0 for a module alone). */
  pix: z.number().min(0),
  /** The highest pix reachable over the attempt's target profiles (0 when there is none). */
  maxPix: z.number().min(0),
  /** Validated target skills / target skills, 0..1; for a module alone: correct interactive elements / all. */
  mastery: z.number().min(0).max(1),
  /** True when every step is done (the activity is finished, whatever the score). */
  completed: z.boolean(),
});
export type AttemptResultSummary = z.infer<typeof attemptResultSummarySchema>;

export const attemptEventSchema = z.object({
  /**
   * started: the attempt row was created (first page of the activity);
   * progressed: an answer, an element answer or a finished step changed the progress;
   * completed: the last step finished (sent once per attempt).
   */
  type: z.enum(['started', 'progressed', 'completed']),
  attemptId: z.string().min(1),
  placementId: z.string().min(1),
  platformId: z.string().min(1),
  /** The learner's `sub` on that platform (identity is platformId + userSub). */
  userSub: z.string().min(1),
  activity: z.object({ kind: activityKindSchema, id: z.string().min(1) }),
  /** When it happened, in ms since the epoch, from the injected clock. */
  at: z.number().int().nonnegative(),
  /** Share of the activity done, 0..1 (steps done + share of the current step). */
  progress: z.number().min(0).max(1),
  /** When the attempt started (ms since the epoch): sinks need not read it back. */
  attemptStartedAt: z.number().int().nonnegative().optional(),
  /** Present on `completed`; may also be present on `progressed` once a step has a score. */
  result: attemptResultSummarySchema.optional(),
});
export type AttemptEvent = z.infer<typeof attemptEventSchema>;

export type LearningTransaction = Transaction<Database>;

/** Something that must happen with every attempt event, written in the caller's transaction. */
export interface AttemptEventSink {
  record(tx: LearningTransaction, event: AttemptEvent): Promise<void>;
}

/** Calls every sink, in order, inside the caller's transaction (a failing sink rolls the change back). */
export async function recordAttemptEvent(
  sinks: readonly AttemptEventSink[],
  tx: LearningTransaction,
  event: AttemptEvent,
): Promise<void> {
  const checked = attemptEventSchema.parse(event);
  for (const sink of sinks) await sink.record(tx, checked);
}
