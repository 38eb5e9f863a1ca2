import type { Kysely } from 'kysely';
import type { Db } from '../connection';
import { prepareQuery } from '../prepared';
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

/** Every column, in one order: what findByKey reads and what the launch upsert returns. */
const COLUMNS = [
  'id',
  'platform_id',
  'deployment_id',
  'resource_link_id',
  'context_id',
  'context_title',
  'title',
  'activity_kind',
  'activity_id',
  'grading',
  'lineitems_url',
  'lineitem_url',
  'score_maximum',
  'ags_scopes',
  'nrps_url',
  'created_at',
  'updated_at',
] as const;

/** The launch values in their stored form (the AGS scopes as the JSON text the column holds). */
type StoredLaunchValues = Pick<
  PlacementsTable,
  'context_id' | 'context_title' | 'title' | 'lineitems_url' | 'lineitem_url' | 'ags_scopes' | 'nrps_url'
>;
const LAUNCH_COLUMNS = [
  'context_id',
  'context_title',
  'title',
  'lineitems_url',
  'lineitem_url',
  'ags_scopes',
  'nrps_url',
] as const satisfies ReadonlyArray<keyof StoredLaunchValues>;

function storedLaunchValues(v: PlacementLaunchValues): StoredLaunchValues {
  return {
    context_id: v.contextId,
    context_title: v.contextTitle,
    title: v.title,
    lineitems_url: v.lineitemsUrl,
    lineitem_url: v.lineitemUrl,
    ags_scopes: JSON.stringify(v.agsScopes),
    nrps_url: v.nrpsUrl,
  };
}

/**
 * Placements: one row per (platform, deployment, resource link). Every query is scoped by platform.
 * Pass a transaction as `k` to take part in the caller's unit of work.
 */
export function createPlacementRepository(db: Db) {
  const on = (k?: Kysely<Database>) => k ?? db.kysely;
  const kysely = db.kysely;
  // Every resource-link launch runs these (launch-route.ts): built and compiled once (prepared.ts).
  type KeyParams = { platform_id: string; deployment_id: string; resource_link_id: string };
  const selectByKey = prepareQuery<KeyParams, PlacementsTable>(db, (p) =>
    kysely
      .selectFrom('placements')
      .select(COLUMNS)
      .where('platform_id', '=', p('platform_id'))
      .where('deployment_id', '=', p('deployment_id'))
      .where('resource_link_id', '=', p('resource_link_id')),
  );
  // One statement creates the row or refreshes its launch values: concurrent first launches of a link
  // meet on the unique key and all get the one row back. The activity and grading are left as they are.
  const upsertLaunch = prepareQuery<
    KeyParams & StoredLaunchValues & { id: string; now: number },
    PlacementsTable
  >(db, (p) =>
    kysely
      .insertInto('placements')
      .values({
        id: p('id'),
        platform_id: p('platform_id'),
        deployment_id: p('deployment_id'),
        resource_link_id: p('resource_link_id'),
        context_id: p('context_id'),
        context_title: p('context_title'),
        title: p('title'),
        activity_kind: null,
        activity_id: null,
        grading: 'none',
        lineitems_url: p('lineitems_url'),
        lineitem_url: p('lineitem_url'),
        score_maximum: null,
        ags_scopes: p('ags_scopes'),
        nrps_url: p('nrps_url'),
        created_at: p('now'),
        updated_at: p('now'),
      })
      .onConflict((oc) =>
        oc.columns(['platform_id', 'deployment_id', 'resource_link_id']).doUpdateSet((eb) => ({
          context_id: eb.ref('excluded.context_id'),
          context_title: eb.ref('excluded.context_title'),
          title: eb.ref('excluded.title'),
          lineitems_url: eb.ref('excluded.lineitems_url'),
          lineitem_url: eb.ref('excluded.lineitem_url'),
          ags_scopes: eb.ref('excluded.ags_scopes'),
          nrps_url: eb.ref('excluded.nrps_url'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returning(COLUMNS),
  );
  const keyParams = (key: PlacementKey): KeyParams => ({
    platform_id: key.platformId,
    deployment_id: key.deploymentId,
    resource_link_id: key.resourceLinkId,
  });

  return {
    async findByKey(key: PlacementKey, k?: Kysely<Database>): Promise<PlacementRecord | undefined> {
      const { rows } = await selectByKey.execute(keyParams(key), k);
      return rows[0] ? toPlacementRecord(rows[0]) : undefined;
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
     * The placement of a launch, with the launch's values stored. In the steady state (the link was
     * launched before and the LMS changed none of its values) this is one read and no write. Otherwise
     * one INSERT .. ON CONFLICT DO UPDATE .. RETURNING creates the row or refreshes its launch values
     * (`updated_at` then moves to `now`; it does not move when nothing changed); concurrent first
     * launches of one link all get the one row. `newId` is called only when the row may be created.
     */
    async upsertFromLaunch(
      key: PlacementKey,
      values: PlacementLaunchValues,
      now: number,
      newId: () => string,
      k?: Kysely<Database>,
    ): Promise<PlacementRecord> {
      const params = keyParams(key);
      const stored = storedLaunchValues(values);
      const existing = (await selectByKey.execute(params, k)).rows[0];
      if (existing && LAUNCH_COLUMNS.every((c) => existing[c] === stored[c])) {
        return toPlacementRecord(existing);
      }
      const { rows } = await upsertLaunch.execute({ ...params, ...stored, id: newId(), now }, k);
      if (!rows[0]) throw new Error('placement upsert returned no row');
      return toPlacementRecord(rows[0]);
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
