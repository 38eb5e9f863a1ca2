import type { Clock } from '../../clock';
import type { Db } from '../connection';

export type StateStorage = 'cookie' | 'postmessage';

export interface OidcStateRecord {
  state: string;
  platformId: string;
  nonce: string;
  targetLinkUri: string;
  deploymentId: string | null;
  storage: StateStorage;
  loginHint: string | null;
  messageHint: string | null;
  createdAt: number;
  expiresAt: number;
}

export type NewOidcState = Omit<OidcStateRecord, 'createdAt' | 'expiresAt'> & { ttlMs: number };

/**
 * Login states, kept server-side between the login redirect and the launch. A state is taken once:
 * `take` deletes it and reports whether this call was the one that removed it, so two concurrent
 * launches with the same state cannot both succeed.
 */
export function createOidcStateRepository(db: Db, clock: Clock) {
  const k = db.kysely;
  return {
    async save(input: NewOidcState): Promise<OidcStateRecord> {
      const now = clock.now();
      const row = {
        state: input.state,
        platform_id: input.platformId,
        nonce: input.nonce,
        target_link_uri: input.targetLinkUri,
        deployment_id: input.deploymentId,
        storage: input.storage,
        login_hint: input.loginHint,
        message_hint: input.messageHint,
        created_at: now,
        expires_at: now + input.ttlMs,
      };
      await k.insertInto('oidc_states').values(row).execute();
      return { ...input, createdAt: now, expiresAt: row.expires_at };
    },

    /** Reads without consuming (the postMessage page needs the platform before the proof arrives). */
    async peek(state: string): Promise<OidcStateRecord | undefined> {
      const row = await k
        .selectFrom('oidc_states')
        .selectAll()
        .where('state', '=', state)
        .where('expires_at', '>', clock.now())
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        state: row.state,
        platformId: row.platform_id,
        nonce: row.nonce,
        targetLinkUri: row.target_link_uri,
        deploymentId: row.deployment_id,
        storage: row.storage === 'postmessage' ? 'postmessage' : 'cookie',
        loginHint: row.login_hint,
        messageHint: row.message_hint,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    },

    /** One-time: the unexpired record if this call removed it, undefined otherwise. */
    async take(state: string): Promise<OidcStateRecord | undefined> {
      const found = await this.peek(state);
      if (!found) return undefined;
      const r = await k.deleteFrom('oidc_states').where('state', '=', state).executeTakeFirst();
      return Number(r.numDeletedRows) === 1 ? found : undefined;
    },

    async purgeExpired(): Promise<number> {
      const r = await k.deleteFrom('oidc_states').where('expires_at', '<=', clock.now()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type OidcStateRepository = ReturnType<typeof createOidcStateRepository>;
