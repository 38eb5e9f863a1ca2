import { sql } from 'kysely';
import type { Db } from '../connection';

/** The table of migration 0008: an attempt's levels as of its `updated_at` (only the dashboard reads it). */
type SummaryTables = {
  attempt_summaries: { attempt_id: string; updated_at: number; levels: string };
};

export interface DashboardAttempt {
  id: string;
  userSub: string;
  number: number;
  status: 'started' | 'completed';
  /** The stored summary of levels, when it is still that of the attempt's latest write. */
  summary: string | null;
  /** The whole progress document, only when `summary` is null (missing or outdated). */
  progress: string | null;
  result: string | null;
  startedAt: number;
  updatedAt: number;
  completedAt: number | null;
  answered: number;
  timeSpentMs: number;
}

export interface DashboardAnswer {
  challengeId: string;
  stepIndex: number;
  seq: number;
  status: string;
  answeredAt: number;
  timeSpentMs: number | null;
}

/** What the teacher dashboard reads, always scoped by platform and placement. */
export function createDashboardRepository(db: Db) {
  const k = db.kysely.withTables<SummaryTables>();
  return {
    /** Each learner's latest attempt on a placement, with answer count and time spent. */
    async latestAttempts(
      platformId: string,
      placementId: string,
      userSubs?: readonly string[],
    ): Promise<DashboardAttempt[]> {
      if (userSubs && userSubs.length === 0) return [];
      let q = k
        .selectFrom('attempts as a')
        .leftJoin('attempt_summaries as s', (j) =>
          j.onRef('s.attempt_id', '=', 'a.id').onRef('s.updated_at', '=', 'a.updated_at'),
        )
        .select([
          'a.id',
          'a.user_sub',
          'a.number',
          'a.status',
          's.levels as summary',
          // The ~15 KiB progress crosses over only when no summary of this write exists yet.
          sql<string | null>`case when s.attempt_id is null then a.progress end`.as('progress'),
          'a.result',
          'a.started_at',
          'a.updated_at',
          'a.completed_at',
        ])
        .where('a.platform_id', '=', platformId)
        .where('a.placement_id', '=', placementId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('attempts as later')
                .select(sql`1`.as('one'))
                .whereRef('later.placement_id', '=', 'a.placement_id')
                .whereRef('later.user_sub', '=', 'a.user_sub')
                .whereRef('later.number', '>', 'a.number'),
            ),
          ),
        );
      if (userSubs) q = q.where('a.user_sub', 'in', [...userSubs]);
      const rows = await q.execute();
      // Answer counts and time per attempt of this placement, in a second plain join (one grouped
      // scan; a correlated or IN form let PostgreSQL pick a poor plan on fresh statistics).
      const sums = await k
        .selectFrom('answers as x')
        .innerJoin('attempts as a', 'a.id', 'x.attempt_id')
        .select([
          'x.attempt_id',
          (e) => e.fn.countAll<number | string>().as('answered'),
          (e) => e.fn.sum<number | string | null>('x.time_spent_ms').as('time_spent'),
        ])
        .where('a.platform_id', '=', platformId)
        .where('a.placement_id', '=', placementId)
        .groupBy('x.attempt_id')
        .execute();
      const byAttempt = new Map(sums.map((r) => [r.attempt_id, r]));
      return rows.map((r) => ({
        id: r.id,
        userSub: r.user_sub,
        number: Number(r.number),
        status: r.status,
        summary: r.summary ?? null,
        progress: r.progress,
        result: r.result,
        startedAt: Number(r.started_at),
        updatedAt: Number(r.updated_at),
        completedAt: r.completed_at === null ? null : Number(r.completed_at),
        answered: Number(byAttempt.get(r.id)?.answered ?? 0),
        timeSpentMs: Number(byAttempt.get(r.id)?.time_spent ?? 0),
      }));
    },

    /**
     * Stores attempts' summaries as of the `updatedAt` they were computed from. A newer summary is never
     * replaced by an older one (two dashboards may summarise the same attempt at once).
     */
    async saveSummaries(
      rows: ReadonlyArray<{ attemptId: string; updatedAt: number; levels: string }>,
    ): Promise<void> {
      // 3 parameters a row: 300 rows stay far below SQLite's and PostgreSQL's parameter limits.
      for (let i = 0; i < rows.length; i += 300) {
        await k
          .insertInto('attempt_summaries')
          .values(
            rows
              .slice(i, i + 300)
              .map((r) => ({ attempt_id: r.attemptId, updated_at: r.updatedAt, levels: r.levels })),
          )
          .onConflict((oc) =>
            oc
              .column('attempt_id')
              .doUpdateSet((eb) => ({
                updated_at: eb.ref('excluded.updated_at'),
                levels: eb.ref('excluded.levels'),
              }))
              .where('attempt_summaries.updated_at', '<', (eb) => eb.ref('excluded.updated_at')),
          )
          .execute();
      }
    },

    async answers(platformId: string, attemptId: string): Promise<DashboardAnswer[]> {
      const rows = await k
        .selectFrom('answers as x')
        .innerJoin('attempts as a', 'a.id', 'x.attempt_id')
        .select(['x.challenge_id', 'x.step_index', 'x.seq', 'x.status', 'x.answered_at', 'x.time_spent_ms'])
        .where('a.platform_id', '=', platformId)
        .where('x.attempt_id', '=', attemptId)
        .orderBy('x.seq')
        .execute();
      return rows.map((r) => ({
        challengeId: r.challenge_id,
        stepIndex: Number(r.step_index),
        seq: Number(r.seq),
        status: r.status,
        answeredAt: Number(r.answered_at),
        timeSpentMs: r.time_spent_ms === null ? null : Number(r.time_spent_ms),
      }));
    },

    /** Names the learners gave at launch (when the roster has none). */
    async learnerNames(platformId: string, subs: readonly string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (let i = 0; i < subs.length; i += 500) {
        const rows = await k
          .selectFrom('learners')
          .select(['sub', 'name', 'given_name', 'family_name'])
          .where('platform_id', '=', platformId)
          .where('sub', 'in', subs.slice(i, i + 500))
          .execute();
        for (const r of rows) {
          const name = r.name ?? ([r.given_name, r.family_name].filter(Boolean).join(' ') || null);
          if (name) out.set(r.sub, name);
        }
      }
      return out;
    },
  };
}
export type DashboardRepository = ReturnType<typeof createDashboardRepository>;
