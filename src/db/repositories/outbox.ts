import { sql, type Kysely } from 'kysely';
import type { Db } from '../connection';
import type { Database } from '../schema';
import type { OutboxTable } from '../tables/learning';

export type OutboxStatus = OutboxTable['status'];

export interface OutboxRecord {
  id: string;
  kind: string;
  platformId: string;
  target: string;
  coalesceKey: string | null;
  payload: string;
  status: OutboxStatus;
  tries: number;
  nextAttemptAt: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

export interface NewOutboxRow {
  id: string;
  kind: string;
  platformId: string;
  target: string;
  coalesceKey: string | null;
  payload: string;
  /** When it may first be delivered (usually now). */
  nextAttemptAt: number;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toOutboxRecord(r: OutboxTable): OutboxRecord {
  return {
    id: r.id,
    kind: r.kind,
    platformId: r.platform_id,
    target: r.target,
    coalesceKey: r.coalesce_key,
    payload: r.payload,
    status: r.status,
    tries: Number(r.tries),
    nextAttemptAt: Number(r.next_attempt_at),
    lockedBy: r.locked_by,
    lockedUntil: num(r.locked_until),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    deliveredAt: num(r.delivered_at),
  };
}

/** Platform messages can be long or carry markup: keep what an operator needs. */
function clip(message: string): string {
  return message.length > 500 ? `${message.slice(0, 497)}...` : message;
}

/**
 * The delivery outbox. Rows are written inside the caller's transaction (pass it as `q`) and
 * delivered later by workers that claim them with a lease.
 *
 * Ordering per coalesce key (one learner on one line item): only the newest pending row is ever
 * claimed, never while an older one of the same key is in flight, and an undelivered older row is
 * superseded as soon as a newer one exists. "Newer" is (created_at, id): callers give time-ordered ids.
 */
export function createOutboxRepository(db: Db) {
  const k = db.kysely;
  const isPg = db.dialect === 'postgres';

  /** Marks older pending rows of the key superseded, except one in flight (its worker settles it). */
  async function supersedeOlder(
    q: Kysely<Database>,
    row: { kind: string; platformId: string; coalesceKey: string; createdAt: number; id: string },
    now: number,
    includeInFlight: boolean,
  ): Promise<number> {
    let query = q
      .updateTable('outbox')
      .set({ status: 'superseded', locked_by: null, locked_until: null, updated_at: now })
      .where('kind', '=', row.kind)
      .where('platform_id', '=', row.platformId)
      .where('coalesce_key', '=', row.coalesceKey)
      .where('status', '=', 'pending')
      .where('id', '!=', row.id)
      .where((eb) =>
        eb.or([
          eb('created_at', '<', row.createdAt),
          eb.and([eb('created_at', '=', row.createdAt), eb('id', '<', row.id)]),
        ]),
      );
    if (!includeInFlight) {
      query = query.where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]));
    }
    const r = await query.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  return {
    /**
     * Adds a row (in the caller's transaction when `q` is one) and supersedes the older undelivered
     * rows of its coalesce key that no worker holds.
     */
    async enqueue(row: NewOutboxRow, now: number, q: Kysely<Database> = k): Promise<void> {
      if (row.coalesceKey) {
        await supersedeOlder(
          q,
          {
            kind: row.kind,
            platformId: row.platformId,
            coalesceKey: row.coalesceKey,
            createdAt: now,
            id: row.id,
          },
          now,
          false,
        );
      }
      await q
        .insertInto('outbox')
        .values({
          id: row.id,
          kind: row.kind,
          platform_id: row.platformId,
          target: row.target,
          coalesce_key: row.coalesceKey,
          payload: row.payload,
          status: 'pending',
          tries: 0,
          next_attempt_at: row.nextAttemptAt,
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: now,
          updated_at: now,
          delivered_at: null,
        })
        .execute();
    },

    /**
     * Claims up to `limit` due rows for `workerId` until `now + leaseMs`. PostgreSQL: the candidates
     * are locked with FOR UPDATE SKIP LOCKED, so concurrent workers take disjoint rows; SQLite: the
     * single UPDATE ... RETURNING is atomic (one writer at a time). A row whose lease expired (its
     * worker died) is due again.
     */
    async claim(opts: {
      workerId: string;
      now: number;
      leaseMs: number;
      limit: number;
      kinds?: readonly string[];
    }): Promise<OutboxRecord[]> {
      const { now } = opts;
      let candidates = k
        .selectFrom('outbox as o')
        .select('o.id')
        .where('o.status', '=', 'pending')
        .where('o.next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('o.locked_until', 'is', null), eb('o.locked_until', '<', now)]))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('outbox as n')
                .select('n.id')
                .whereRef('n.kind', '=', 'o.kind')
                .whereRef('n.platform_id', '=', 'o.platform_id')
                .whereRef('n.coalesce_key', '=', 'o.coalesce_key')
                .where('n.status', '=', 'pending')
                .whereRef('n.id', '!=', 'o.id')
                .where((n) =>
                  n.or([
                    // Another row of this key is in flight: wait for it.
                    n('n.locked_until', '>=', now),
                    // A newer row exists: this one will be superseded, never sent.
                    n('n.created_at', '>', n.ref('o.created_at')),
                    n.and([n('n.created_at', '=', n.ref('o.created_at')), n('n.id', '>', n.ref('o.id'))]),
                  ]),
                ),
            ),
          ),
        )
        .orderBy('o.next_attempt_at')
        .limit(opts.limit);
      if (opts.kinds) candidates = candidates.where('o.kind', 'in', [...opts.kinds]);
      if (isPg) candidates = candidates.forUpdate().skipLocked();
      const rows = await k
        .updateTable('outbox')
        .set({ locked_by: opts.workerId, locked_until: now + opts.leaseMs, updated_at: now })
        // PostgreSQL may run an `id IN (subquery)` once per row it scans (a nested-loop semi-join),
        // and each run locks and returns the next `limit` rows: one worker then claimed all 40 due
        // rows with a limit of 5 (seen in the two-workers test). ARRAY(subquery) runs exactly once.
        .where((eb) =>
          isPg ? eb('id', '=', sql<string>`any(array(${candidates}))`) : eb('id', 'in', candidates),
        )
        .where('status', '=', 'pending')
        .returningAll()
        .execute();
      return rows.map(toOutboxRecord).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    },

    /** Settles a delivered row (only while `workerId` still holds it); supersedes older rows of its key. */
    async markDelivered(row: OutboxRecord, workerId: string, now: number): Promise<boolean> {
      return k.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('outbox')
          .set({
            status: 'delivered',
            delivered_at: now,
            locked_by: null,
            locked_until: null,
            last_error: null,
            tries: sql<number>`tries + 1`,
            updated_at: now,
          })
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .where('locked_by', '=', workerId)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        if (row.coalesceKey) {
          await supersedeOlder(
            tx,
            {
              kind: row.kind,
              platformId: row.platformId,
              coalesceKey: row.coalesceKey,
              createdAt: row.createdAt,
              id: row.id,
            },
            now,
            true,
          );
        }
        return true;
      });
    },

    /**
     * Puts a row back for a later try (or supersedes it when a newer row of its key arrived while it
     * was in flight: the newer one carries the learner's latest state).
     */
    async reschedule(
      row: OutboxRecord,
      workerId: string,
      opts: { now: number; nextAttemptAt: number; error: string | null; countTry: boolean },
    ): Promise<'rescheduled' | 'superseded' | 'lost'> {
      return k.transaction().execute(async (tx) => {
        let newer = false;
        if (row.coalesceKey) {
          const n = await tx
            .selectFrom('outbox')
            .select('id')
            .where('kind', '=', row.kind)
            .where('platform_id', '=', row.platformId)
            .where('coalesce_key', '=', row.coalesceKey)
            .where('status', '=', 'pending')
            .where('id', '!=', row.id)
            .where((eb) =>
              eb.or([
                eb('created_at', '>', row.createdAt),
                eb.and([eb('created_at', '=', row.createdAt), eb('id', '>', row.id)]),
              ]),
            )
            .executeTakeFirst();
          newer = n !== undefined;
        }
        const r = await tx
          .updateTable('outbox')
          .set({
            status: newer ? 'superseded' : 'pending',
            next_attempt_at: opts.nextAttemptAt,
            locked_by: null,
            locked_until: null,
            last_error: opts.error === null ? null : clip(opts.error),
            tries: opts.countTry ? sql<number>`tries + 1` : sql<number>`tries`,
            updated_at: opts.now,
          })
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .where('locked_by', '=', workerId)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return 'lost';
        return newer ? 'superseded' : 'rescheduled';
      });
    },

    /** Gives up on a row: the platform refused it for good (its message is kept for the teacher). */
    async park(row: OutboxRecord, workerId: string, error: string, now: number): Promise<boolean> {
      const r = await k
        .updateTable('outbox')
        .set({
          status: 'parked',
          locked_by: null,
          locked_until: null,
          last_error: clip(error),
          tries: sql<number>`tries + 1`,
          updated_at: now,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Hands rows back without counting a try (a worker stopping before it could deliver them). */
    async release(ids: readonly string[], workerId: string, now: number): Promise<void> {
      if (ids.length === 0) return;
      await k
        .updateTable('outbox')
        .set({ locked_by: null, locked_until: null, updated_at: now })
        .where('id', 'in', [...ids])
        .where('locked_by', '=', workerId)
        .where('status', '=', 'pending')
        .execute();
    },

    async findById(id: string): Promise<OutboxRecord | undefined> {
      const row = await k.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toOutboxRecord(row) : undefined;
    },

    /** Every row whose coalesce key starts with `prefix` on a platform, oldest first. */
    async listByKeyPrefix(
      platformId: string,
      prefix: string,
      opts: { kind?: string; statuses?: readonly OutboxStatus[] } = {},
    ): Promise<OutboxRecord[]> {
      // LIKE rather than a range: a range over text depends on the collation (PostgreSQL's may ignore
      // punctuation). The prefix is escaped; SQLite's LIKE is ASCII case-insensitive, which our
      // lower-case keys do not mind.
      const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      let q = k
        .selectFrom('outbox')
        .selectAll()
        .where('platform_id', '=', platformId)
        .where(sql<boolean>`coalesce_key like ${pattern} escape '\\'`);
      if (opts.kind) q = q.where('kind', '=', opts.kind);
      if (opts.statuses) q = q.where('status', 'in', [...opts.statuses]);
      const rows = await q.orderBy('created_at').orderBy('id').execute();
      return rows.map(toOutboxRecord);
    },

    /** Counts by status (for health pages and tests). */
    async counts(kind?: string): Promise<Record<OutboxStatus, number>> {
      let q = k
        .selectFrom('outbox')
        .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
        .groupBy('status');
      if (kind) q = q.where('kind', '=', kind);
      const rows = await q.execute();
      const out: Record<OutboxStatus, number> = { pending: 0, delivered: 0, parked: 0, superseded: 0 };
      for (const r of rows) out[r.status] = Number(r.n);
      return out;
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
