import type { Clock } from '../../clock';
import type { Db } from '../connection';

/**
 * Nonces the tool issued at login. Consuming is a single conditional UPDATE whose affected-row count
 * decides: atomic on SQLite and PostgreSQL alike, so a replayed id_token loses even under a race.
 */
export function createNonceRepository(db: Db, clock: Clock) {
  const k = db.kysely;
  return {
    async save(platformId: string, nonce: string, ttlMs: number): Promise<void> {
      await k
        .insertInto('nonces')
        .values({ platform_id: platformId, nonce, expires_at: clock.now() + ttlMs, used_at: null })
        .execute();
    },

    /** True exactly once per issued, unexpired nonce. */
    async consume(platformId: string, nonce: string): Promise<boolean> {
      const now = clock.now();
      const r = await k
        .updateTable('nonces')
        .set({ used_at: now })
        .where('platform_id', '=', platformId)
        .where('nonce', '=', nonce)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async purgeExpired(): Promise<number> {
      const r = await k.deleteFrom('nonces').where('expires_at', '<=', clock.now()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type NonceRepository = ReturnType<typeof createNonceRepository>;
