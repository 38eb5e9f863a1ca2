import { sql } from 'kysely';
import type { Db } from '../connection';

export interface DashboardAttempt {
  id: string;
  userSub: string;
  number: number;
  status: 'started' | 'completed';
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
  const k = db.kysely;
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
        .select([
          'a.id',
          'a.user_sub',
          'a.number',
          'a.status',
          'a.progress',
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
        progress: r.progress,
        result: r.result,
        startedAt: Number(r.started_at),
        updatedAt: Number(r.updated_at),
        completedAt: r.completed_at === null ? null : Number(r.completed_at),
        answered: Number(byAttempt.get(r.id)?.answered ?? 0),
        timeSpentMs: Number(byAttempt.get(r.id)?.time_spent ?? 0),
      }));
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
