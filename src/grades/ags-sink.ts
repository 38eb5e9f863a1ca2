import { classifyRoles, SCOPES } from '../../lti';
import type { Clock } from '../clock';
import type { GradeRepository } from '../db/repositories/grades';
import type { OutboxRepository } from '../db/repositories/outbox';
import type { AttemptEvent, AttemptEventSink, LearningTransaction } from '../learning/events';
import { gradedChoiceSchema, gradingFromCustom, scoreMaximumFor } from './grading';
import { AGS_SCORE_KIND, agsCoalesceKey, scorePayloadFromEvent } from './score';

export interface AgsGradeSinkDeps {
  grades: Pick<GradeRepository, 'scoreContext' | 'attemptStartedAt'>;
  outbox: Pick<OutboxRepository, 'enqueue'>;
  clock: Clock;
  newId: (now: number) => string;
  /** The most pix an activity can give, when the event does not say (catalogue's figure). */
  maxPixFor?: (kind: 'parcours' | 'module', id: string) => number;
  /** Called after the row is written (e.g. to wake a worker in this process); never inside SQL. */
  onEnqueued?: () => void;
}

/**
 * Turns attempt events into AGS score rows in the outbox, inside the transaction that stored the
 * answer (so a score exists exactly when its answer does). Writes nothing for a placement without AGS,
 * without the score scope, graded "none", or for staff (teachers testing their own activity: Moodle
 * refuses their scores with 400 anyway).
 */
export class AgsGradeSink implements AttemptEventSink {
  constructor(private readonly deps: AgsGradeSinkDeps) {}

  async record(tx: LearningTransaction, event: AttemptEvent): Promise<void> {
    const { grades } = this.deps;
    // One round trip inside the answer's transaction: placement, latest launch and roster roles.
    const context = await grades.scoreContext(event.platformId, event.placementId, event.userSub, tx);
    if (!context) return;
    const { placement, latestLaunch: launch } = context;
    const target = placement.lineitemUrl ?? placement.lineitemsUrl;
    if (!target || !placement.agsScopes.includes(SCOPES.score)) return;

    // The course's roster wins over the launch (scoreContext reads the roster of this course only).
    const roles = context.memberRoles ?? launch?.roles;
    if (roles && classifyRoles(roles) === 'staff') return;

    const grading = gradingFromCustom(launch?.custom) ?? placement.grading;
    const choice = gradedChoiceSchema.safeParse(grading);
    if (!choice.success) return;

    const eventMax = event.result?.maxPix ?? 0;
    const maxPix =
      eventMax > 0 ? eventMax : (this.deps.maxPixFor?.(event.activity.kind, event.activity.id) ?? 0);
    const scoreMaximum =
      choice.data === 'pix' && placement.scoreMaximum && eventMax <= 0
        ? placement.scoreMaximum
        : scoreMaximumFor(choice.data, maxPix);
    // The learning use cases put the start in the event: one read fewer inside the answer's transaction.
    const startedAt =
      event.attemptStartedAt ?? (await grades.attemptStartedAt(event.platformId, event.attemptId, tx));
    const payload = scorePayloadFromEvent(event, choice.data, scoreMaximum, startedAt);
    const now = this.deps.clock.now();
    await this.deps.outbox.enqueue(
      {
        id: this.deps.newId(now),
        kind: AGS_SCORE_KIND,
        platformId: event.platformId,
        target,
        coalesceKey: agsCoalesceKey(placement.id, event.userSub),
        payload: JSON.stringify(payload),
        nextAttemptAt: now,
      },
      now,
      tx,
    );
    this.deps.onEnqueued?.();
  }
}
