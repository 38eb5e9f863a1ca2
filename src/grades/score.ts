import { z } from 'zod';
import type { Score } from '../../lti';
import type { AttemptEvent } from '../learning/events';
import type { GradedChoice } from './grading';

/** The outbox kind of an AGS score. */
export const AGS_SCORE_KIND = 'ags_score';

/** One learner on one placement: later scores supersede earlier undelivered ones of the same key. */
export function agsCoalesceKey(placementId: string, userSub: string): string {
  return `ags:${placementId}:${userSub}`;
}
export function agsPlacementPrefix(placementId: string): string {
  return `ags:${placementId}:`;
}

/**
 * What an AGS outbox row carries. The timestamp is chosen at delivery (the event time unless the
 * platform already holds a score in that second), so the payload keeps the event time `at`.
 */
export const agsScorePayloadSchema = z.object({
  placementId: z.string().min(1),
  userSub: z.string().min(1),
  attemptId: z.string().min(1).optional(),
  event: z.enum(['started', 'progressed', 'completed', 'resync']),
  at: z.number().int().nonnegative(),
  grading: z.enum(['pix', 'mastery', 'completion']),
  activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
  gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
  scoreGiven: z.number().min(0).optional(),
  scoreMaximum: z.number().positive(),
  /** Shown in the dashboard: pix and mastery (0..1) at that moment. */
  pix: z.number().min(0).optional(),
  mastery: z.number().min(0).max(1).optional(),
  startedAt: z.number().int().nonnegative().optional(),
  submittedAt: z.number().int().nonnegative().optional(),
});
export type AgsScorePayload = z.infer<typeof agsScorePayloadSchema>;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Event → score fields. Started: Started/NotReady without a score; progressed: InProgress/Pending
 * without a score (Moodle ignores a score that is not FullyGraded, and a partial one would mislead);
 * completed: Completed/FullyGraded with the score for the grading. scoreMaximum is always explicit
 * (Moodle reads a missing one as 1).
 */
export function scorePayloadFromEvent(
  event: AttemptEvent,
  grading: GradedChoice,
  scoreMaximum: number,
  startedAt: number | undefined,
): AgsScorePayload {
  const base = {
    placementId: event.placementId,
    userSub: event.userSub,
    attemptId: event.attemptId,
    event: event.type,
    at: event.at,
    grading,
    scoreMaximum,
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(event.result ? { pix: event.result.pix, mastery: event.result.mastery } : {}),
  };
  if (event.type === 'started') {
    return { ...base, activityProgress: 'Started', gradingProgress: 'NotReady' };
  }
  if (event.type === 'progressed') {
    return { ...base, activityProgress: 'InProgress', gradingProgress: 'Pending' };
  }
  const result = event.result ?? { pix: 0, maxPix: 0, mastery: 0, completed: true };
  let given: number;
  if (grading === 'pix') given = Math.min(result.pix, scoreMaximum);
  else if (grading === 'mastery') given = round2(result.mastery * 100);
  else given = result.completed ? 1 : 0;
  return {
    ...base,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    scoreGiven: Math.min(given, scoreMaximum),
    submittedAt: event.at,
  };
}

/** The AGS score body for a payload, stamped with the timestamp chosen at delivery. */
export function scoreBody(p: AgsScorePayload, timestamp: number): Score {
  const submission: { startedAt?: string; submittedAt?: string } = {};
  if (p.startedAt !== undefined) submission.startedAt = new Date(p.startedAt).toISOString();
  if (p.submittedAt !== undefined) submission.submittedAt = new Date(p.submittedAt).toISOString();
  return {
    userId: p.userSub,
    timestamp: new Date(timestamp).toISOString(),
    activityProgress: p.activityProgress,
    gradingProgress: p.gradingProgress,
    ...(p.scoreGiven !== undefined ? { scoreGiven: p.scoreGiven } : {}),
    scoreMaximum: p.scoreMaximum,
    ...(Object.keys(submission).length ? { submission } : {}),
  };
}
