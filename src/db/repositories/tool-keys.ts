import type { JWK } from 'jose';
import type { KeyStore, ToolKeyChanges, ToolKeyRecord } from '../../../lti/types';
import type { Clock } from '../../clock';
import type { Db } from '../connection';
import type { ToolKeysTable } from '../tables/lti';

export type ToolKeyPatch = ToolKeyChanges;
export type { ToolKeyRecord };

function toRecord(r: ToolKeysTable): ToolKeyRecord {
  return {
    kid: r.kid,
    // Only RS256 keys are ever generated (lti/keys.ts); the column keeps room for another algorithm.
    alg: 'RS256',
    publicJwk: JSON.parse(r.public_jwk) as JWK,
    privateJwk: JSON.parse(r.private_jwk) as JWK,
    state: r.state,
    createdAt: r.created_at,
    activateAfter: r.activate_after,
    activatedAt: r.activated_at,
    retireAfter: r.retire_after,
    retiredAt: r.retired_at,
  };
}

/** Storage for the tool's key set (the library's KeyStore); the rotation rules live in lti/keys.ts. */
export function createToolKeyRepository(db: Db, clock: Clock) {
  const k = db.kysely;
  async function listAll(): Promise<ToolKeyRecord[]> {
    const rows = await k.selectFrom('tool_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
    return rows.map(toRecord);
  }
  async function updateOne(kid: string, patch: ToolKeyPatch): Promise<boolean> {
    const set: Partial<ToolKeysTable> = {};
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.activateAfter !== undefined) set.activate_after = patch.activateAfter;
    if (patch.activatedAt !== undefined) set.activated_at = patch.activatedAt;
    if (patch.retireAfter !== undefined) set.retire_after = patch.retireAfter;
    if (patch.retiredAt !== undefined) set.retired_at = patch.retiredAt;
    if (Object.keys(set).length === 0) return false;
    const r = await k.updateTable('tool_keys').set(set).where('kid', '=', kid).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  return {
    /** KeyStore.list: every key, retired ones included (the key set ignores them). */
    list: listAll,
    listAll,
    updateOne,

    /** Every key not retired, oldest first. */
    async listLive(): Promise<ToolKeyRecord[]> {
      const rows = await k
        .selectFrom('tool_keys')
        .selectAll()
        .where('state', '!=', 'retired')
        .orderBy('created_at')
        .orderBy('kid')
        .execute();
      return rows.map(toRecord);
    },

    async insert(key: Omit<ToolKeyRecord, 'createdAt'> & { createdAt?: number }): Promise<void> {
      await k
        .insertInto('tool_keys')
        .values({
          kid: key.kid,
          alg: key.alg,
          public_jwk: JSON.stringify(key.publicJwk),
          private_jwk: JSON.stringify(key.privateJwk),
          state: key.state,
          created_at: key.createdAt ?? clock.now(),
          activate_after: key.activateAfter,
          activated_at: key.activatedAt,
          retire_after: key.retireAfter,
          retired_at: key.retiredAt,
        })
        .execute();
    },

    async update(kid: string, patch: ToolKeyPatch): Promise<void> {
      await updateOne(kid, patch);
    },

    /** Applies several changes at once so a rotation step is never half-done. */
    async updateMany(changes: { kid: string; patch: ToolKeyPatch }[]): Promise<void> {
      await k.transaction().execute(async (tx) => {
        const repo = createToolKeyRepository({ ...db, kysely: tx }, clock);
        for (const c of changes) await repo.updateOne(c.kid, c.patch);
      });
    },
  } satisfies KeyStore & Record<string, unknown>;
}

export type ToolKeyRepository = ReturnType<typeof createToolKeyRepository>;
