import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../connection';
import type { Database } from '../schema';
import type { AnswersTable, AttemptsTable, ElementAnswersTable } from '../tables/learning';

/** Any query runner: the database or a transaction (which is a Kysely too). */
export type Q = Kysely<Database>;

export type AttemptRow = AttemptsTable;
export type AnswerRow = AnswersTable;
export type ElementAnswerRow = ElementAnswersTable;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** PostgreSQL returns bigint as number already (see connection.ts); SQLite too. Normalise anyway. */
function attempt(r: AttemptsTable): AttemptRow {
  return {
    ...r,
    seed: Number(r.seed),
    started_at: Number(r.started_at),
    updated_at: Number(r.updated_at),
    completed_at: num(r.completed_at),
    current_shown_at: num(r.current_shown_at),
  };
}

/**
 * Attempts, their answers and their module element answers. Every method takes the query runner so a
 * use case can group several of them (and the event sinks) in one transaction.
 */
export function createAttemptRepository(db: Db) {
  const isPg = db.dialect === 'postgres';
  return {
    db: db.kysely,

    /** Runs `fn` in one transaction. */
    transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.kysely.transaction().execute(fn);
    },

    /** The learner's newest attempt on a placement; `lock` as in `find`. */
    async latest(q: Q, placementId: string, userSub: string, lock = false): Promise<AttemptRow | undefined> {
      let query = q
        .selectFrom('attempts')
        .selectAll()
        .where('placement_id', '=', placementId)
        .where('user_sub', '=', userSub)
        .orderBy('number', 'desc')
        .limit(1);
      if (lock && isPg) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row ? attempt(row) : undefined;
    },

    /**
     * The attempt, scoped by platform and learner. With `lock`, PostgreSQL holds the row until the
     * transaction ends, so two tabs answering at once are handled one after the other.
     */
    async find(
      q: Q,
      scope: { platformId: string; userSub: string },
      id: string,
      lock = false,
    ): Promise<AttemptRow | undefined> {
      let query = q
        .selectFrom('attempts')
        .selectAll()
        .where('id', '=', id)
        .where('platform_id', '=', scope.platformId)
        .where('user_sub', '=', scope.userSub);
      if (lock && isPg) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row ? attempt(row) : undefined;
    },

    async findById(q: Q, id: string): Promise<AttemptRow | undefined> {
      const row = await q.selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? attempt(row) : undefined;
    },

    /** Inserts unless (placement, user, number) exists; true when this call created it. */
    async insert(q: Q, row: AttemptRow): Promise<boolean> {
      const res = await q
        .insertInto('attempts')
        .values(row)
        .onConflict((oc) => oc.columns(['placement_id', 'user_sub', 'number']).doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /** Shows `challengeId` unless another challenge is already shown; true when this call set it. */
    async showChallenge(
      q: Q,
      id: string,
      stepIndex: number,
      challengeId: string,
      now: number,
    ): Promise<boolean> {
      const res = await q
        .updateTable('attempts')
        .set({ current_challenge_id: challengeId, current_shown_at: now, updated_at: now })
        .where('id', '=', id)
        .where('step_index', '=', stepIndex)
        .where('current_challenge_id', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async clearCurrent(q: Q, id: string, challengeId: string, now: number): Promise<void> {
      await q
        .updateTable('attempts')
        .set({ current_challenge_id: null, current_shown_at: null, updated_at: now })
        .where('id', '=', id)
        .where('current_challenge_id', '=', challengeId)
        .execute();
    },

    /** Moves from step `from` to `to` once (a concurrent second call changes nothing and gets false). */
    async advanceStep(
      q: Q,
      id: string,
      from: number,
      changes: {
        to: number;
        progress: string;
        now: number;
        completed?: { result: string };
      },
    ): Promise<boolean> {
      const res = await q
        .updateTable('attempts')
        .set({
          step_index: changes.to,
          progress: changes.progress,
          current_challenge_id: null,
          current_shown_at: null,
          updated_at: changes.now,
          ...(changes.completed
            ? { status: 'completed' as const, result: changes.completed.result, completed_at: changes.now }
            : {}),
        })
        .where('id', '=', id)
        .where('step_index', '=', from)
        .where('status', '=', 'started')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async setProgress(q: Q, id: string, progress: string, now: number): Promise<void> {
      await q.updateTable('attempts').set({ progress, updated_at: now }).where('id', '=', id).execute();
    },

    async answers(q: Q, attemptId: string, stepIndex?: number): Promise<AnswerRow[]> {
      let query = q.selectFrom('answers').selectAll().where('attempt_id', '=', attemptId);
      if (stepIndex !== undefined) query = query.where('step_index', '=', stepIndex);
      const rows = await query.orderBy('seq').execute();
      return rows.map((r) => ({
        ...r,
        seq: Number(r.seq),
        step_index: Number(r.step_index),
        shown_at: num(r.shown_at),
        answered_at: Number(r.answered_at),
        time_spent_ms: num(r.time_spent_ms),
      }));
    },

    /** Which challenges an attempt answered, in which step, in order: without the answers' payloads. */
    async answerKeys(q: Q, attemptId: string): Promise<Array<{ challenge_id: string; step_index: number }>> {
      const rows = await q
        .selectFrom('answers')
        .select(['challenge_id', 'step_index'])
        .where('attempt_id', '=', attemptId)
        .orderBy('seq')
        .execute();
      return rows.map((r) => ({ challenge_id: r.challenge_id, step_index: Number(r.step_index) }));
    },

    /** A step's answers as the engine reads them (challenge and status), in order. */
    async answerStatuses(
      q: Q,
      attemptId: string,
      stepIndex: number,
    ): Promise<Array<Pick<AnswerRow, 'challenge_id' | 'status'>>> {
      return q
        .selectFrom('answers')
        .select(['challenge_id', 'status'])
        .where('attempt_id', '=', attemptId)
        .where('step_index', '=', stepIndex)
        .orderBy('seq')
        .execute();
    },

    async answer(q: Q, attemptId: string, challengeId: string): Promise<AnswerRow | undefined> {
      return q
        .selectFrom('answers')
        .selectAll()
        .where('attempt_id', '=', attemptId)
        .where('challenge_id', '=', challengeId)
        .executeTakeFirst();
    },

    async countAnswers(q: Q, attemptId: string): Promise<number> {
      const r = await q
        .selectFrom('answers')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('attempt_id', '=', attemptId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Idempotent per (attempt, challenge): true when this call stored it, false when it was there. */
    async insertAnswer(q: Q, row: AnswerRow): Promise<boolean> {
      const res = await q
        .insertInto('answers')
        .values(row)
        .onConflict((oc) => oc.columns(['attempt_id', 'challenge_id']).doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async elementAnswers(q: Q, attemptId: string, moduleId?: string): Promise<ElementAnswerRow[]> {
      let query = q.selectFrom('element_answers').selectAll().where('attempt_id', '=', attemptId);
      if (moduleId !== undefined) query = query.where('module_id', '=', moduleId);
      const rows = await query.orderBy('answered_at').execute();
      return rows.map((r) => ({ ...r, correct: num(r.correct), answered_at: Number(r.answered_at) }));
    },

    /** First answer wins, like challenge answers: a double submit stores one. */
    async insertElementAnswer(q: Q, row: ElementAnswerRow): Promise<boolean> {
      const res = await q
        .insertInto('element_answers')
        .values(row)
        .onConflict((oc) => oc.columns(['attempt_id', 'module_id', 'element_id']).doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}
export type AttemptRepository = ReturnType<typeof createAttemptRepository>;
