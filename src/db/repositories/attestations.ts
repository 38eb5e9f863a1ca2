import type { Kysely } from 'kysely';
import type { Db } from '../connection';
import type { Database } from '../schema';
import type { AttestationsTable } from '../tables/learning';

export type AttestationRow = AttestationsTable;

/** Attestations: one per attempt (a retried issue keeps the first code), found publicly by code. */
export function createAttestationRepository(db: Db) {
  const norm = (r: AttestationsTable): AttestationRow => ({ ...r, issued_at: Number(r.issued_at) });
  return {
    async insertOnce(row: AttestationRow, q: Kysely<Database> = db.kysely): Promise<AttestationRow> {
      await q
        .insertInto('attestations')
        .values(row)
        .onConflict((oc) => oc.column('attempt_id').doNothing())
        .execute();
      const stored = await q
        .selectFrom('attestations')
        .selectAll()
        .where('attempt_id', '=', row.attempt_id)
        .executeTakeFirstOrThrow();
      return norm(stored);
    },
    async byCode(code: string): Promise<AttestationRow | undefined> {
      const r = await db.kysely
        .selectFrom('attestations')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirst();
      return r ? norm(r) : undefined;
    },
    async byAttempt(attemptId: string, q: Kysely<Database> = db.kysely): Promise<AttestationRow | undefined> {
      const r = await q
        .selectFrom('attestations')
        .selectAll()
        .where('attempt_id', '=', attemptId)
        .executeTakeFirst();
      return r ? norm(r) : undefined;
    },
  };
}
export type AttestationRepository = ReturnType<typeof createAttestationRepository>;
