import type { Clock } from '../clock';
import type { OutboxRepository } from '../db/repositories/outbox';
import { AGS_SCORE_KIND, agsPlacementPrefix, agsScorePayloadSchema } from './score';

export interface ResyncDeps {
  outbox: Pick<OutboxRepository, 'listByKeyPrefix' | 'enqueue'>;
  clock: Clock;
  newId: (now: number) => string;
}

export interface ResyncReport {
  /** Learners whose latest score was queued again. */
  requeued: number;
}

/**
 * Queues again the latest score of every learner of a placement (the teacher's "resend grades" button
 * and `npm run grades:resync`): after a platform outage that parked rows, or a gradebook reset. Each
 * copy is stamped now, so the platform sees it as newer than anything it holds.
 */
export async function resyncPlacement(
  deps: ResyncDeps,
  platformId: string,
  placementId: string,
): Promise<ResyncReport> {
  const rows = await deps.outbox.listByKeyPrefix(platformId, agsPlacementPrefix(placementId), {
    kind: AGS_SCORE_KIND,
    statuses: ['pending', 'delivered', 'parked'],
  });
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (row.coalesceKey) latest.set(row.coalesceKey, row); // oldest first: last wins
  let requeued = 0;
  for (const row of latest.values()) {
    const parsed = agsScorePayloadSchema.safeParse(JSON.parse(row.payload));
    if (!parsed.success) continue;
    const now = deps.clock.now();
    await deps.outbox.enqueue(
      {
        id: deps.newId(now),
        kind: AGS_SCORE_KIND,
        platformId,
        target: row.target,
        coalesceKey: row.coalesceKey,
        payload: JSON.stringify({ ...parsed.data, event: 'resync', at: now }),
        nextAttemptAt: now,
      },
      now,
    );
    requeued++;
  }
  return { requeued };
}
