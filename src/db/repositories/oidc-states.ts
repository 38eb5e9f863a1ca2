import type { Clock } from '../../clock';
import type { Db } from '../connection';
import { prepareQuery } from '../prepared';
import type { OidcStatesTable } from '../tables/lti';

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

const COLUMNS = [
  'state',
  'platform_id',
  'nonce',
  'target_link_uri',
  'deployment_id',
  'storage',
  'login_hint',
  'message_hint',
  'created_at',
  'expires_at',
] as const;

type StateRow = Pick<OidcStatesTable, (typeof COLUMNS)[number]>;

function toRecord(row: StateRow): OidcStateRecord {
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
}

/**
 * Login states, kept server-side between the login redirect and the launch. The row also carries the
 * nonce issued with the state: it is the only record of that nonce, so taking the state consumes the
 * nonce too, with no second write. A state is taken once, by a single conditional UPDATE ...
 * RETURNING, so two concurrent launches with the same state cannot both succeed. The usual launch
 * takes it together with opening its session (launch-sessions.ts `createTakingState`); `take` here
 * serves the careful path that finds out why a launch is refused. Used rows stay until they expire,
 * so that a replayed id_token is recognised as a replay (`nonceWasUsed`).
 */
export function createOidcStateRepository(db: Db, clock: Clock) {
  const k = db.kysely;
  // Login and launch run these on every launch: built and compiled once (see prepared.ts).
  const insert = prepareQuery<Omit<OidcStatesTable, 'used_at'>>(db, (p) =>
    k.insertInto('oidc_states').values({
      state: p('state'),
      platform_id: p('platform_id'),
      nonce: p('nonce'),
      target_link_uri: p('target_link_uri'),
      deployment_id: p('deployment_id'),
      storage: p('storage'),
      login_hint: p('login_hint'),
      message_hint: p('message_hint'),
      created_at: p('created_at'),
      expires_at: p('expires_at'),
      used_at: null,
    }),
  );
  const takeBase = (state: string, now: number) =>
    k
      .updateTable('oidc_states')
      .set({ used_at: now })
      .where('state', '=', state)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now);
  type Take = { state: string; now: number };
  const takeAny = prepareQuery<Take, StateRow>(db, (p) => takeBase(p('state'), p('now')).returning(COLUMNS));
  const takeOfStorage = prepareQuery<Take & { storage: StateStorage }, StateRow>(db, (p) =>
    takeBase(p('state'), p('now')).where('storage', '=', p('storage')).returning(COLUMNS),
  );
  return {
    async save(input: NewOidcState): Promise<OidcStateRecord> {
      const now = clock.now();
      const expiresAt = now + input.ttlMs;
      await insert.execute({
        state: input.state,
        platform_id: input.platformId,
        nonce: input.nonce,
        target_link_uri: input.targetLinkUri,
        deployment_id: input.deploymentId,
        storage: input.storage,
        login_hint: input.loginHint,
        message_hint: input.messageHint,
        created_at: now,
        expires_at: expiresAt,
      });
      return { ...input, createdAt: now, expiresAt };
    },

    /** Reads an unused, unexpired state without taking it (the browser steps need it before a proof). */
    async peek(state: string): Promise<OidcStateRecord | undefined> {
      const row = await k
        .selectFrom('oidc_states')
        .select(COLUMNS)
        .where('state', '=', state)
        .where('used_at', 'is', null)
        .where('expires_at', '>', clock.now())
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    /**
     * One-time: the unused, unexpired record if this call took it, undefined otherwise. With
     * `storage`, only a state of that storage mode is taken (a postMessage proof must not take a
     * cookie-mode state).
     */
    async take(state: string, opts: { storage?: StateStorage } = {}): Promise<OidcStateRecord | undefined> {
      const now = clock.now();
      const { rows } = opts.storage
        ? await takeOfStorage.execute({ state, now, storage: opts.storage })
        : await takeAny.execute({ state, now });
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    /** True when `nonce` was issued to this platform with a state a launch already took. */
    async nonceWasUsed(platformId: string, nonce: string): Promise<boolean> {
      const row = await k
        .selectFrom('oidc_states')
        .select('state')
        .where('platform_id', '=', platformId)
        .where('nonce', '=', nonce)
        .where('used_at', 'is not', null)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async purgeExpired(): Promise<number> {
      const r = await k.deleteFrom('oidc_states').where('expires_at', '<=', clock.now()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type OidcStateRepository = ReturnType<typeof createOidcStateRepository>;
