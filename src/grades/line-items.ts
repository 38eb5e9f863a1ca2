import type { AgsClient, ServicePlatform } from '../../lti';
import type { Clock } from '../clock';
import type { GradeRepository } from '../db/repositories/grades';
import type { PlacementRecord } from '../db/repositories/placements';
import type { DeliveryOutcome } from '../delivery/outcome';
import { outcomeOf } from './outcomes';

export interface LineItemResolverDeps {
  ags: AgsClient;
  grades: Pick<GradeRepository, 'storedLineItem' | 'storeLineItem'>;
  clock: Clock;
}

export type LineItemResolution = { kind: 'ok'; url: string } | { kind: 'failed'; outcome: DeliveryOutcome };

/**
 * The line item a placement's scores go to: the launch's own `lineitem`, else the one we stored, else
 * one found in the container (by resource link id, then by our resourceId), else one we create. Lookups
 * for one placement are single-flight in this process so a class finishing together creates one column.
 */
export class LineItemResolver {
  private readonly inflight = new Map<string, Promise<LineItemResolution>>();

  constructor(private readonly deps: LineItemResolverDeps) {}

  async resolve(
    platform: ServicePlatform,
    placement: PlacementRecord,
    fallback: { label: string; scoreMaximum: number; tag: string },
  ): Promise<LineItemResolution> {
    if (placement.lineitemUrl) return { kind: 'ok', url: placement.lineitemUrl };
    if (!placement.lineitemsUrl) {
      return {
        kind: 'failed',
        outcome: { kind: 'park', message: 'the platform gave no AGS line item nor line items container' },
      };
    }
    const key = `${placement.platformId}\u0000${placement.id}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.findOrCreate(platform, placement, placement.lineitemsUrl, fallback).finally(() =>
      this.inflight.delete(key),
    );
    this.inflight.set(key, p);
    return p;
  }

  private async findOrCreate(
    platform: ServicePlatform,
    placement: PlacementRecord,
    container: string,
    fallback: { label: string; scoreMaximum: number; tag: string },
  ): Promise<LineItemResolution> {
    const { ags, grades, clock } = this.deps;
    const stored = await grades.storedLineItem(placement.platformId, placement.id, container);
    if (stored) return { kind: 'ok', url: stored };
    const resourceId = placement.activityId ?? placement.resourceLinkId;
    const listed = await ags.listLineItems(
      platform,
      container,
      { resourceLinkId: placement.resourceLinkId },
      placement.agsScopes,
    );
    if (listed.kind !== 'ok') return { kind: 'failed', outcome: outcomeOf(listed) };
    // Platforms may ignore the filter: match locally.
    const found =
      listed.value.find((i) => i.resourceLinkId === placement.resourceLinkId && i.id) ??
      listed.value.find(
        (i) => !i.resourceLinkId && i.resourceId === resourceId && i.tag === fallback.tag && i.id,
      );
    let url = found?.id;
    if (!url) {
      const created = await ags.createLineItem(
        platform,
        container,
        {
          label: fallback.label,
          scoreMaximum: fallback.scoreMaximum,
          resourceLinkId: placement.resourceLinkId,
          resourceId,
          tag: fallback.tag,
        },
        placement.agsScopes,
      );
      if (created.kind !== 'ok') return { kind: 'failed', outcome: outcomeOf(created) };
      if (!created.value.id) {
        return { kind: 'failed', outcome: { kind: 'park', message: 'the created line item has no id' } };
      }
      url = created.value.id;
    }
    const kept = await grades.storeLineItem(placement.platformId, placement.id, container, url, clock.now());
    return { kind: 'ok', url: kept };
  }
}
