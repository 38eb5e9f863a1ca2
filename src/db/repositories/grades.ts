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

    /** The roles the roster cache (NRPS) holds for a user in a context. */
    async memberRoles(
      platformId: string,
      contextId: string,
      userSub: string,
      q: Kysely<Database> = k,
    ): Promise<string[] | undefined> {
      const member = await q
        .selectFrom('memberships')
        .select('roles')
        .where('platform_id', '=', platformId)
        .where('context_id', '=', contextId)
        .where('user_sub', '=', userSub)
        .executeTakeFirst();
      return member ? (JSON.parse(member.roles) as string[]) : undefined;
    },

    /**
     * The user's latest launch of a resource link: its roles and its custom parameters (where our
     * deep-linking response put the grading choice).
     */
    async latestLaunch(
      platformId: string,
      userSub: string,
      resourceLinkId: string,
      q: Kysely<Database> = k,
    ): Promise<{ roles: string[]; custom: Record<string, string> } | undefined> {
      const row = await q
        .selectFrom('launch_sessions')
        .select(['roles', 'launch'])
        .where('platform_id', '=', platformId)
        .where('user_sub', '=', userSub)
        .where('resource_link_id', '=', resourceLinkId)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!row) return undefined;
      const launch = JSON.parse(row.launch) as { custom?: unknown } | null;
      const custom: Record<string, string> = {};
      if (launch && typeof launch.custom === 'object' && launch.custom !== null) {
        for (const [key, v] of Object.entries(launch.custom)) if (typeof v === 'string') custom[key] = v;
      }
      return { roles: JSON.parse(row.roles) as string[], custom };
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
