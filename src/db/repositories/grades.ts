import { sql, type Kysely } from 'kysely';
import type { Db } from '../connection';
import type { Database } from '../schema';
import { toPlacementRecord, type PlacementRecord } from './placements';

/**
 * What grade sync reads and writes besides the outbox: the newest score timestamp each learner's
 * line item holds, the line items we created for placements, and who is staff (never graded).
 * Every query is scoped by platform. Pass a transaction as `q` to read inside the caller's unit of work.
 */
export function createGradeRepository(db: Db) {
  const k = db.kysely;
  return {
    async placement(
      platformId: string,
      placementId: string,
      q: Kysely<Database> = k,
    ): Promise<PlacementRecord | undefined> {
      const row = await q
        .selectFrom('placements')
        .selectAll()
        .where('platform_id', '=', platformId)
        .where('id', '=', placementId)
        .executeTakeFirst();
      return row ? toPlacementRecord(row) : undefined;
    },

    /**
     * What a score needs to know, in one round trip (it runs inside each answer's transaction): the
     * placement, the user's latest launch of its link (roles, and custom parameters where our deep
     * link put the grading choice) and the roles the roster cache holds for them in its context.
     */
    async scoreContext(
      platformId: string,
      placementId: string,
      userSub: string,
      q: Kysely<Database> = k,
    ): Promise<
      | {
          placement: PlacementRecord;
          latestLaunch?: { roles: string[]; custom: Record<string, string> };
          memberRoles?: string[];
        }
      | undefined
    > {
      const row = await q
        .selectFrom('placements as p')
        .selectAll('p')
        .select((eb) => {
          // The user's latest launch of this placement's link (its id breaks a created_at tie).
          const latestLaunch = () =>
            eb
              .selectFrom('launch_sessions as ls')
              .whereRef('ls.platform_id', '=', 'p.platform_id')
              .where('ls.user_sub', '=', userSub)
              .whereRef('ls.resource_link_id', '=', 'p.resource_link_id')
              .orderBy('ls.created_at', 'desc')
              .orderBy('ls.id', 'desc')
              .limit(1);
          return [
            latestLaunch().select('ls.roles').as('launch_roles'),
            latestLaunch().select('ls.launch').as('launch_json'),
            eb
              .selectFrom('memberships as m')
              .select('m.roles')
              .whereRef('m.platform_id', '=', 'p.platform_id')
              .whereRef('m.context_id', '=', 'p.context_id')
              .where('m.user_sub', '=', userSub)
              .limit(1)
              .as('member_roles'),
          ];
        })
        .where('p.platform_id', '=', platformId)
        .where('p.id', '=', placementId)
        .executeTakeFirst();
      if (!row) return undefined;
      const { launch_roles, launch_json, member_roles, ...placement } = row;
      return {
        placement: toPlacementRecord(placement),
        latestLaunch:
          launch_roles && launch_json
            ? { roles: JSON.parse(launch_roles) as string[], custom: customOf(launch_json) }
            : undefined,
        memberRoles: member_roles ? (JSON.parse(member_roles) as string[]) : undefined,
      };
    },

    /** For operators' commands only (grades:resync): a placement by its id, whatever its platform. */
    async placementForOperator(placementId: string): Promise<PlacementRecord | undefined> {
      const row = await k
        .selectFrom('placements')
        .selectAll()
        .where('id', '=', placementId)
        .executeTakeFirst();
      return row ? toPlacementRecord(row) : undefined;
    },

    /** When the attempt started (for the score's submission.startedAt). */
    async attemptStartedAt(
      platformId: string,
      attemptId: string,
      q: Kysely<Database> = k,
    ): Promise<number | undefined> {
      const row = await q
        .selectFrom('attempts')
        .select('started_at')
        .where('platform_id', '=', platformId)
        .where('id', '=', attemptId)
        .executeTakeFirst();
      return row ? Number(row.started_at) : undefined;
    },

    async lastTimestamp(platformId: string, coalesceKey: string): Promise<number | undefined> {
      const row = await k
        .selectFrom('grade_sync_state')
        .select('last_timestamp')
        .where('platform_id', '=', platformId)
        .where('coalesce_key', '=', coalesceKey)
        .executeTakeFirst();
      return row ? Number(row.last_timestamp) : undefined;
    },

    /** Records that the platform holds a score at `timestamp` or later (never moves backwards). */
    async raiseTimestamp(
      platformId: string,
      coalesceKey: string,
      timestamp: number,
      now: number,
    ): Promise<void> {
      await k
        .insertInto('grade_sync_state')
        .values({
          platform_id: platformId,
          coalesce_key: coalesceKey,
          last_timestamp: timestamp,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['platform_id', 'coalesce_key']).doUpdateSet({
            last_timestamp: sql<number>`case when excluded.last_timestamp > grade_sync_state.last_timestamp then excluded.last_timestamp else grade_sync_state.last_timestamp end`,
            updated_at: now,
          }),
        )
        .execute();
    },

    /** The line item we found or created for this placement under this container, if any. */
    async storedLineItem(
      platformId: string,
      placementId: string,
      lineItemsUrl: string,
    ): Promise<string | undefined> {
      const row = await k
        .selectFrom('grade_line_items')
        .select('lineitem_url')
        .where('platform_id', '=', platformId)
        .where('placement_id', '=', placementId)
        .where('lineitems_url', '=', lineItemsUrl)
        .executeTakeFirst();
      return row?.lineitem_url;
    },

    /** Keeps the first line item stored for a placement (concurrent finders agree on one) and returns it. */
    async storeLineItem(
      platformId: string,
      placementId: string,
      lineItemsUrl: string,
      lineItemUrl: string,
      now: number,
    ): Promise<string> {
      await k
        .insertInto('grade_line_items')
        .values({
          placement_id: placementId,
          platform_id: platformId,
          lineitems_url: lineItemsUrl,
          lineitem_url: lineItemUrl,
          created_at: now,
        })
        .onConflict((oc) =>
          // A placement moved to another container (course copied): the new one wins.
          oc
            .column('placement_id')
            .doUpdateSet({ lineitems_url: lineItemsUrl, lineitem_url: lineItemUrl, created_at: now })
            .where('grade_line_items.lineitems_url', '!=', lineItemsUrl),
        )
        .execute();
      return (await this.storedLineItem(platformId, placementId, lineItemsUrl)) ?? lineItemUrl;
    },

    async forgetLineItem(platformId: string, placementId: string): Promise<void> {
      await k
        .deleteFrom('grade_line_items')
        .where('platform_id', '=', platformId)
        .where('placement_id', '=', placementId)
        .execute();
    },
  };
}

export type GradeRepository = ReturnType<typeof createGradeRepository>;

/** The string custom parameters of a stored launch (JSON), where our deep link put the grading choice. */
function customOf(launchJson: string): Record<string, string> {
  const launch = JSON.parse(launchJson) as { custom?: unknown } | null;
  const custom: Record<string, string> = {};
  if (launch && typeof launch.custom === 'object' && launch.custom !== null) {
    for (const [key, v] of Object.entries(launch.custom)) if (typeof v === 'string') custom[key] = v;
  }
  return custom;
}
