import type { NonceConsumeResult, NonceStore } from '../../../lti/types';
import type { Clock } from '../../clock';
import type { Db } from '../connection';

/**
 * Nonces the tool issued at login. Consuming is a single conditional UPDATE whose affected-row count
 * decides: atomic on SQLite and PostgreSQL alike, so a replayed id_token loses even under a race.
 */
export function createNonceRepository(
  db: Db,
  clock: Clock,
): NonceStore & { purgeExpired(): Promise<number> } {
  const k = db.kysely;
  return {
    async save(platformId: string, nonce: string, expiresAt: number): Promise<void> {
      await k
        .insertInto('nonces')
        .values({ platform_id: platformId, nonce, expires_at: expiresAt, used_at: null })
        .execute();
    },

    /** 'ok' exactly once per issued, unexpired nonce; 'replayed' when it was already used. */
    async consume(platformId: string, nonce: string, now: number = clock.now()): Promise<NonceConsumeResult> {
      const r = await k
        .updateTable('nonces')
        .set({ used_at: now })
        .where('platform_id', '=', platformId)
        .where('nonce', '=', nonce)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) return 'ok';
      // Only the losing path pays a second query, to tell a replay from a forgery in the logs.
      const row = await k
        .selectFrom('nonces')
        .select('used_at')
        .where('platform_id', '=', platformId)
        .where('nonce', '=', nonce)
        .executeTakeFirst();
      return row && row.used_at !== null ? 'replayed' : 'unknown';
    },

    async purgeExpired(): Promise<number> {
      const r = await k.deleteFrom('nonces').where('expires_at', '<=', clock.now()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type NonceRepository = ReturnType<typeof createNonceRepository>;
