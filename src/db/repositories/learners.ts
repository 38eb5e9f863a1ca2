import type { Kysely } from 'kysely';
import type { Db } from '../connection';
import { prepareQuery } from '../prepared';
import type { Database } from '../schema';
import type { LearnersTable } from '../tables/learning';

export type LearnerRow = LearnersTable;

/** The values a launch may change: the row is written only when one of them differs. */
const NAMED = ['name', 'given_name', 'family_name', 'email', 'locale'] as const;

/**
 * Learners as the last launch named them (names may be absent: anonymous launches are valid).
 * `updated_at` is when those values last changed (or the row was created), not the last launch: a
 * launch that brings the same names writes nothing and locks nothing. Nothing reads it today.
 */
export function createLearnerRepository(db: Db) {
  const k = db.kysely;
  // Null-safe inequality (NULL vs NULL is no change): IS DISTINCT FROM on PostgreSQL, IS NOT on SQLite.
  const differs = db.dialect === 'postgres' ? 'is distinct from' : 'is not';
  // Every resource-link launch runs this (launch-route.ts): built and compiled once (prepared.ts).
  const upsertNames = prepareQuery<LearnerRow>(db, (p) =>
    k
      .insertInto('learners')
      .values({
        platform_id: p('platform_id'),
        sub: p('sub'),
        name: p('name'),
        given_name: p('given_name'),
        family_name: p('family_name'),
        email: p('email'),
        locale: p('locale'),
        updated_at: p('updated_at'),
      })
      .onConflict((oc) =>
        oc
          .columns(['platform_id', 'sub'])
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            given_name: eb.ref('excluded.given_name'),
            family_name: eb.ref('excluded.family_name'),
            email: eb.ref('excluded.email'),
            locale: eb.ref('excluded.locale'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where((eb) => eb.or(NAMED.map((c) => eb(`learners.${c}`, differs, eb.ref(`excluded.${c}`))))),
      ),
  );
  const readNames = prepareQuery<
    Pick<LearnerRow, 'platform_id' | 'sub'>,
    Pick<LearnerRow, (typeof NAMED)[number]>
  >(db, (p) =>
    k
      .selectFrom('learners')
      .select(NAMED)
      .where('platform_id', '=', p('platform_id'))
      .where('sub', '=', p('sub')),
  );
  return {
    /**
     * Creates the learner or stores the names this launch brings. The names are read first: an
     * unchanged learner costs one read, no write and no lock (an upsert whose update does not apply
     * still locks the row on PostgreSQL and takes SQLite's writer lock). The upsert keeps its
     * condition for two launches racing. True when a row was inserted or updated.
     */
    async upsert(row: LearnerRow, q?: Kysely<Database>): Promise<boolean> {
      const { rows } = await readNames.execute({ platform_id: row.platform_id, sub: row.sub }, q);
      const stored = rows[0];
      if (stored && NAMED.every((c) => stored[c] === row[c])) return false;
      const result = await upsertNames.execute(row, q);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async find(platformId: string, sub: string, q: Kysely<Database> = k): Promise<LearnerRow | undefined> {
      return q
        .selectFrom('learners')
        .selectAll()
        .where('platform_id', '=', platformId)
        .where('sub', '=', sub)
        .executeTakeFirst();
    },
  };
}
export type LearnerRepository = ReturnType<typeof createLearnerRepository>;
