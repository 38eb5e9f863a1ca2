import type { Clock } from '../../clock';
import type { Db } from '../connection';

/** Admin web sessions live in the database, so several processes behind a load balancer share them. */
export function createAdminSessionRepository(db: Db, clock: Clock) {
  const k = db.kysely;
  return {
    async get(sid: string): Promise<unknown | undefined> {
      const r = await k
        .selectFrom('admin_sessions')
        .select(['data', 'expires_at'])
        .where('sid', '=', sid)
        .executeTakeFirst();
      if (!r) return undefined;
      if (r.expires_at <= clock.now()) {
        await this.destroy(sid);
        return undefined;
      }
      return JSON.parse(r.data);
    },
    async set(sid: string, data: unknown, expiresAt: number): Promise<void> {
      const json = JSON.stringify(data);
      await k
        .insertInto('admin_sessions')
        .values({ sid, data: json, expires_at: expiresAt })
        .onConflict((oc) => oc.column('sid').doUpdateSet({ data: json, expires_at: expiresAt }))
        .execute();
    },
    async touch(sid: string, expiresAt: number): Promise<void> {
      await k.updateTable('admin_sessions').set({ expires_at: expiresAt }).where('sid', '=', sid).execute();
    },
    async destroy(sid: string): Promise<void> {
      await k.deleteFrom('admin_sessions').where('sid', '=', sid).execute();
    },
    async purgeExpired(): Promise<number> {
      const r = await k
        .deleteFrom('admin_sessions')
        .where('expires_at', '<=', clock.now())
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type AdminSessionRepository = ReturnType<typeof createAdminSessionRepository>;
