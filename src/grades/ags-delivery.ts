import { LtiError, type AgsClient, type ServicePlatform } from '../../lti';
import type { Clock } from '../clock';
import type { GradeRepository } from '../db/repositories/grades';
import type { OutboxRecord } from '../db/repositories/outbox';
import type { DeliveryHandler, DeliveryOutcome } from '../delivery/outcome';
import type { LineItemResolver } from './line-items';
import { outcomeOf } from './outcomes';
import { agsScorePayloadSchema, scoreBody } from './score';

export interface AgsDeliveryDeps {
  ags: AgsClient;
  lineItems: LineItemResolver;
  grades: Pick<GradeRepository, 'placement' | 'lastTimestamp' | 'raiseTimestamp'>;
  platforms: { findById(id: string): Promise<(ServicePlatform & { status: string }) | undefined> };
  clock: Clock;
  /** [0, 1): spreads the rows that wait for the next second. */
  random: () => number;
  /** Label of a line item we must create when the link has none (title of the activity). */
  lineItemLabel?: (activity: { kind: string | null; id: string | null }, title: string | null) => string;
}

const SECOND = 1000;
const second = (ms: number) => Math.floor(ms / SECOND);

/**
 * Delivers one AGS score row: resolves the line item, picks a timestamp strictly newer (at one-second
 * resolution, like Moodle) than the last one the platform holds for this learner, and POSTs the score
 * with the cached client-credentials token. 409 means "not newer": remember the platform holds that
 * second and retry in the next one with a newer timestamp, never park.
 */
export class AgsScoreHandler implements DeliveryHandler {
  constructor(private readonly deps: AgsDeliveryDeps) {}

  async deliver(row: OutboxRecord): Promise<DeliveryOutcome> {
    const { deps } = this;
    const parsed = agsScorePayloadSchema.safeParse(JSON.parse(row.payload));
    if (!parsed.success) return { kind: 'park', message: 'invalid score payload' };
    const p = parsed.data;
    const placement = await deps.grades.placement(row.platformId, p.placementId);
    if (!placement) return { kind: 'park', message: 'the placement no longer exists' };
    const platform = await deps.platforms.findById(row.platformId);
    if (!platform) return { kind: 'park', message: 'the platform is no longer registered' };
    if (platform.status === 'disabled') return { kind: 'park', message: 'the platform is disabled' };

    const resolved = await deps.lineItems.resolve(platform, placement, {
      label:
        deps.lineItemLabel?.({ kind: placement.activityKind, id: placement.activityId }, placement.title) ??
        placement.title ??
        placement.activityId ??
        'Pix',
      scoreMaximum: p.scoreMaximum,
      tag: `pix-lti-${p.grading}`,
    });
    if (resolved.kind === 'failed') return resolved.outcome;

    const key = row.coalesceKey ?? `${p.placementId}:${p.userSub}`;
    const now = deps.clock.now();
    const last = await deps.grades.lastTimestamp(row.platformId, key);
    // Never in the future: another process's clock may run ahead of ours.
    let timestamp = Math.min(p.at, now);
    if (last !== undefined && second(timestamp) <= second(last)) {
      // The platform holds a score of this second or later: use now if that is a newer second, else wait.
      if (second(now) > second(last)) timestamp = now;
      else return { kind: 'later', at: this.nextSecond(last), message: 'waiting for a newer second' };
    }

    let result;
    try {
      result = await deps.ags.postScore(platform, resolved.url, scoreBody(p, timestamp), placement.agsScopes);
    } catch (err) {
      if (err instanceof LtiError && err.code === 'score_invalid')
        return { kind: 'park', message: err.message };
      throw err;
    }
    if (result.kind === 'ok') {
      await deps.grades.raiseTimestamp(row.platformId, key, timestamp, deps.clock.now());
      return { kind: 'delivered' };
    }
    if (result.kind === 'permanent' && result.status === 409) {
      await deps.grades.raiseTimestamp(row.platformId, key, timestamp, deps.clock.now());
      return {
        kind: 'later',
        at: this.nextSecond(Math.max(timestamp, deps.clock.now())),
        message: `HTTP 409: ${result.message}`,
      };
    }
    return outcomeOf(result);
  }

  /** A moment in the second after `ms`, spread over its first half so waiting rows do not stampede. */
  private nextSecond(ms: number): number {
    return (second(ms) + 1) * SECOND + Math.floor(this.deps.random() * 500);
  }
}
