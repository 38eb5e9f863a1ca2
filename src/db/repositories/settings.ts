import crypto from 'node:crypto';
import type { Clock } from '../../clock';
import type { Db } from '../connection';

export function createSettingsRepository(db: Db, clock: Clock) {
  const k = db.kysely;
  return {
    async get(key: string): Promise<string | undefined> {
      const r = await k.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return r?.value;
    },
    /**
     * Returns the stored value, creating it with `make()` if absent. Two processes starting together
     * agree on one value: the insert is conflict-free and both read back the winner.
     */
    async getOrCreate(key: string, make: () => string): Promise<string> {
      await k
        .insertInto('settings')
        .values({ key, value: make(), updated_at: clock.now() })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      return (await this.get(key))!;
    },
  };
}

export const randomSecret = () => crypto.randomBytes(32).toString('base64url');
