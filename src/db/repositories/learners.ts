import type { Kysely } from 'kysely';
import type { Db } from '../connection';
import type { Database } from '../schema';
import type { LearnersTable } from '../tables/learning';

export type LearnerRow = LearnersTable;

/** Learners as the last launch named them (names may be absent: anonymous launches are valid). */
export function createLearnerRepository(db: Db) {
  return {
    async upsert(row: LearnerRow, q: Kysely<Database> = db.kysely): Promise<void> {
      const { name, given_name, family_name, email, locale, updated_at } = row;
      const rest = { name, given_name, family_name, email, locale, updated_at };
      await q
        .insertInto('learners')
        .values(row)
        .onConflict((oc) => oc.columns(['platform_id', 'sub']).doUpdateSet(rest))
        .execute();
    },
    async find(
      platformId: string,
      sub: string,
      q: Kysely<Database> = db.kysely,
    ): Promise<LearnerRow | undefined> {
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
