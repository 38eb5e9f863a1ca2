import type { Kysely } from 'kysely';
import type { Db } from '../connection';
import type { Database } from '../schema';
import type { ActivityKind, Grading, PlacementsTable } from '../tables/learning';

export interface PlacementRecord {
  id: string;
  platformId: string;
  deploymentId: string;
  resourceLinkId: string;
  contextId: string | null;
  contextTitle: string | null;
  title: string | null;
  activityKind: ActivityKind | null;
  activityId: string | null;
  grading: Grading;
  lineitemsUrl: string | null;
  lineitemUrl: string | null;
  scoreMaximum: number | null;
  agsScopes: string[];
  nrpsUrl: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What every launch refreshes on its placement (the LMS may have renamed or re-configured it). */
export interface PlacementLaunchValues {
  contextId: string | null;
  contextTitle: string | null;
  title: string | null;
  lineitemsUrl: string | null;
  lineitemUrl: string | null;
  agsScopes: string[];
  nrpsUrl: string | null;
}

export interface PlacementKey {
  platformId: string;
  deploymentId: string;
  resourceLinkId: string;
}

export function toPlacementRecord(r: PlacementsTable): PlacementRecord {
  return {
    id: r.id,
    platformId: r.platform_id,
    deploymentId: r.deployment_id,
    resourceLinkId: r.resource_link_id,
    contextId: r.context_id,
    contextTitle: r.context_title,
    title: r.title,
    activityKind: r.activity_kind,
    activityId: r.activity_id,
    grading: r.grading,
    lineitemsUrl: r.lineitems_url,
    lineitemUrl: r.lineitem_url,
    scoreMaximum: r.score_maximum === null ? null : Number(r.score_maximum),
    agsScopes: r.ags_scopes ? (JSON.parse(r.ags_scopes) as string[]) : [],
    nrpsUrl: r.nrps_url,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * Placements: one row per (platform, deployment, resource link). Every query is scoped by platform.
 * Pass a transaction as `k` to take part in the caller's unit of work.
 */
export function createPlacementRepository(db: Db) {
  const on = (k?: Kysely<Database>) => k ?? db.kysely;
  return {
    async findByKey(key: PlacementKey, k?: Kysely<Database>): Promise<PlacementRecord | undefined> {
      const row = await on(k)
        .selectFrom('placements')
        .selectAll()
        .where('platform_id', '=', key.platformId)
        .where('deployment_id', '=', key.deploymentId)
        .where('resource_link_id', '=', key.resourceLinkId)
        .executeTakeFirst();
      return row ? toPlacementRecord(row) : undefined;
    },

    async findById(
      platformId: string,
      id: string,
      k?: Kysely<Database>,
    ): Promise<PlacementRecord | undefined> {
      const row = await on(k)
        .selectFrom('placements')
        .selectAll()
        .where('platform_id', '=', platformId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toPlacementRecord(row) : undefined;
    },

    /**
     * Creates the row if missing (concurrent first launches: insert ... on conflict do nothing), then
     * refreshes the launch values, then re-reads: every caller sees the one row.
     */
    async upsertFromLaunch(
      key: PlacementKey,
      values: PlacementLaunchValues,
      now: number,
      newId: () => string,
      k?: Kysely<Database>,
    ): Promise<PlacementRecord> {
      const q = on(k);
      await q
        .insertInto('placements')
        .values({
          id: newId(),
          platform_id: key.platformId,
          deployment_id: key.deploymentId,
          resource_link_id: key.resourceLinkId,
          context_id: values.contextId,
          context_title: values.contextTitle,
          title: values.title,
          activity_kind: null,
          activity_id: null,
          grading: 'none',
          lineitems_url: values.lineitemsUrl,
          lineitem_url: values.lineitemUrl,
          score_maximum: null,
          ags_scopes: JSON.stringify(values.agsScopes),
          nrps_url: values.nrpsUrl,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['platform_id', 'deployment_id', 'resource_link_id']).doNothing())
        .execute();
      await q
        .updateTable('placements')
        .set({
          context_id: values.contextId,
          context_title: values.contextTitle,
          title: values.title,
          lineitems_url: values.lineitemsUrl,
          lineitem_url: values.lineitemUrl,
          ags_scopes: JSON.stringify(values.agsScopes),
          nrps_url: values.nrpsUrl,
          updated_at: now,
        })
        .where('platform_id', '=', key.platformId)
        .where('deployment_id', '=', key.deploymentId)
        .where('resource_link_id', '=', key.resourceLinkId)
        .execute();
      const row = await this.findByKey(key, q);
      if (!row) throw new Error('placement vanished after upsert');
      return row;
    },

    /** Chooses the activity a placement shows (custom activity=, the instructor's list, deep linking). */
    async bindActivity(
      platformId: string,
      id: string,
      activity: { kind: ActivityKind; id: string; grading: Grading },
      now: number,
      k?: Kysely<Database>,
    ): Promise<void> {
      await on(k)
        .updateTable('placements')
        .set({
          activity_kind: activity.kind,
          activity_id: activity.id,
          grading: activity.grading,
          updated_at: now,
        })
        .where('platform_id', '=', platformId)
        .where('id', '=', id)
        .execute();
    },
  };
}

export type PlacementRepository = ReturnType<typeof createPlacementRepository>;
