import crypto from 'node:crypto';
import { sql, type UpdateQueryBuilder } from 'kysely';
import type { Clock } from '../../clock';
import type { Db } from '../connection';
import { prepareQuery } from '../prepared';
import type { Database } from '../schema';
import type { LaunchSessionsTable } from '../tables/lti';

export interface NewLaunchSession {
  platformId: string;
  deploymentId: string;
  userSub: string;
  contextId: string | null;
  resourceLinkId: string | null;
  messageType: string;
  roles: string[];
  locale: string;
  /** The verified launch's useful claims (JSON-serialisable); parsed by the web layer with zod. */
  launch: unknown;
}

export interface LaunchSessionRecord extends NewLaunchSession {
  /** sha256 of the token: the token itself is never stored. */
  id: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * The login state a verified launch must take to open its session: the state and how the browser
 * proved it, and the id_token's nonce (the session's platform and deployment must be the state's too).
 */
export interface StateToTake {
  state: string;
  nonce: string;
  /** 'postmessage' when the browser proved the state through the platform's storage, not a cookie. */
  storage: 'cookie' | 'postmessage';
}

export const hashLaunchToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/**
 * Sessions that follow a verified launch. The browser carries a random 32-byte token (URL or
 * partitioned cookie); the table holds only its hash, so a leaked table does not leak sessions.
 */
export function createLaunchSessionRepository(
  db: Db,
  clock: Clock,
  opts: { ttlMs: number; sliding?: boolean; randomBytes?: (n: number) => Buffer },
) {
  const k = db.kysely;
  const randomBytes = opts.randomBytes ?? crypto.randomBytes;
  // Every launch inserts one: built and compiled once (see prepared.ts).
  const insert = prepareQuery<LaunchSessionsTable>(db, (p) =>
    k.insertInto('launch_sessions').values({
      id: p('id'),
      platform_id: p('platform_id'),
      deployment_id: p('deployment_id'),
      user_sub: p('user_sub'),
      context_id: p('context_id'),
      resource_link_id: p('resource_link_id'),
      message_type: p('message_type'),
      roles: p('roles'),
      locale: p('locale'),
      launch: p('launch'),
      created_at: p('created_at'),
      expires_at: p('expires_at'),
    }),
  );
  // The state a launch takes, matched on everything the login stored and the id_token must repeat.
  // A state saved without a deployment id accepts any of the platform's (the id_token's is checked
  // against the registration); a cookie proof takes a state of either storage, a postMessage proof
  // only a postMessage one (a cookie-mode state cannot be satisfied by a form field).
  type Take = { state: string; now: number; platform_id: string; nonce: string; deployment_id: string };
  const takeWhere = <O>(
    q: UpdateQueryBuilder<Database, 'oidc_states', 'oidc_states', O>,
    p: <K extends keyof Take & string>(name: K) => Take[K],
    postMessageOnly: boolean,
  ) => {
    const matched = q
      .set({ used_at: p('now') })
      .where('state', '=', p('state'))
      .where('used_at', 'is', null)
      .where('expires_at', '>', p('now'))
      .where('platform_id', '=', p('platform_id'))
      .where('nonce', '=', p('nonce'))
      .where((eb) => eb.or([eb('deployment_id', 'is', null), eb('deployment_id', '=', p('deployment_id'))]));
    return postMessageOnly ? matched.where('storage', '=', 'postmessage') : matched;
  };
  type Open = Take & Omit<LaunchSessionsTable, 'platform_id' | 'deployment_id'>;
  // PostgreSQL: one statement (one round trip) takes the state and inserts the session, or neither.
  const takeAndInsert = (postMessageOnly: boolean) =>
    prepareQuery<Open>(db, (p) =>
      k
        .with('taken', (w) => takeWhere(w.updateTable('oidc_states'), p, postMessageOnly).returning('state'))
        .insertInto('launch_sessions')
        .columns([
          'id',
          'platform_id',
          'deployment_id',
          'user_sub',
          'context_id',
          'resource_link_id',
          'message_type',
          'roles',
          'locale',
          'launch',
          'created_at',
          'expires_at',
        ])
        .expression((eb) =>
          eb
            .selectFrom('taken')
            .select([
              sql<string>`${p('id')}::text`.as('id'),
              sql<string>`${p('platform_id')}::text`.as('platform_id'),
              sql<string>`${p('deployment_id')}::text`.as('deployment_id'),
              sql<string>`${p('user_sub')}::text`.as('user_sub'),
              sql<string | null>`${p('context_id')}::text`.as('context_id'),
              sql<string | null>`${p('resource_link_id')}::text`.as('resource_link_id'),
              sql<string>`${p('message_type')}::text`.as('message_type'),
              sql<string>`${p('roles')}::text`.as('roles'),
              sql<string>`${p('locale')}::text`.as('locale'),
              sql<string>`${p('launch')}::text`.as('launch'),
              sql<number>`${p('created_at')}::bigint`.as('created_at'),
              sql<number>`${p('expires_at')}::bigint`.as('expires_at'),
            ]),
        )
        .returning('id'),
    );
  // SQLite has no data-modifying CTE: the two writes run back to back, as two statements (an explicit
  // transaction measured slower: SQLite's calls are synchronous and cheap, BEGIN and COMMIT are not
  // free). Should the insert fail, the state is spent and the launch refused, as a failed launch is.
  const takeOnly = (postMessageOnly: boolean) =>
    prepareQuery<Take, { state: string }>(db, (p) =>
      takeWhere(k.updateTable('oidc_states'), p, postMessageOnly).returning('state'),
    );
  const pg =
    db.dialect === 'postgres' ? { any: takeAndInsert(false), postMessage: takeAndInsert(true) } : null;
  const lite = db.dialect === 'sqlite' ? { any: takeOnly(false), postMessage: takeOnly(true) } : null;

  function newSession(input: NewLaunchSession) {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    const session: LaunchSessionRecord = {
      ...input,
      id: hashLaunchToken(token),
      createdAt: now,
      expiresAt: now + opts.ttlMs,
    };
    const row: LaunchSessionsTable = {
      id: session.id,
      platform_id: input.platformId,
      deployment_id: input.deploymentId,
      user_sub: input.userSub,
      context_id: input.contextId,
      resource_link_id: input.resourceLinkId,
      message_type: input.messageType,
      roles: JSON.stringify(input.roles),
      locale: input.locale,
      launch: JSON.stringify(input.launch ?? null),
      created_at: now,
      expires_at: session.expiresAt,
    };
    return { token, session, row };
  }

  return {
    async create(input: NewLaunchSession): Promise<{ token: string; session: LaunchSessionRecord }> {
      const { token, session, row } = newSession(input);
      await insert.execute(row);
      return { token, session };
    },

    /**
     * Takes the login's state and opens the session. Undefined, with nothing written, when no unused,
     * unexpired state of the session's platform matches `take`'s state, nonce and storage and the
     * session's deployment (the caller then finds out why, on its careful path). On PostgreSQL one
     * statement does both, in one round trip where two were needed; on SQLite the state is taken, then
     * the session inserted.
     */
    async createTakingState(
      take: StateToTake,
      input: NewLaunchSession,
    ): Promise<{ token: string; session: LaunchSessionRecord } | undefined> {
      const { token, session, row } = newSession(input);
      const taking: Take = {
        state: take.state,
        now: session.createdAt,
        platform_id: row.platform_id,
        nonce: take.nonce,
        deployment_id: row.deployment_id,
      };
      const postMessageOnly = take.storage === 'postmessage';
      if (pg) {
        const statement = postMessageOnly ? pg.postMessage : pg.any;
        const { rows } = await statement.execute({ ...row, ...taking });
        return rows.length === 1 ? { token, session } : undefined;
      }
      const statement = postMessageOnly ? lite!.postMessage : lite!.any;
      const { rows } = await statement.execute(taking);
      if (rows.length !== 1) return undefined;
      await insert.execute(row);
      return { token, session };
    },

    /** The unexpired session for a token; with sliding expiry, each lookup pushes the end forward. */
    async find(token: string): Promise<LaunchSessionRecord | undefined> {
      if (!token) return undefined;
      const now = clock.now();
      const id = hashLaunchToken(token);
      const row = await k
        .selectFrom('launch_sessions')
        .selectAll()
        .where('id', '=', id)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (!row) return undefined;
      let expiresAt = row.expires_at;
      // Write at most once a minute: a page with many requests should not cost a write each.
      if (opts.sliding && now + opts.ttlMs - expiresAt > 60_000) {
        expiresAt = now + opts.ttlMs;
        await k.updateTable('launch_sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
      }
      return {
        id: row.id,
        platformId: row.platform_id,
        deploymentId: row.deployment_id,
        userSub: row.user_sub,
        contextId: row.context_id,
        resourceLinkId: row.resource_link_id,
        messageType: row.message_type,
        roles: JSON.parse(row.roles) as string[],
        locale: row.locale,
        launch: JSON.parse(row.launch) as unknown,
        createdAt: row.created_at,
        expiresAt,
      };
    },

    async purgeExpired(): Promise<number> {
      const r = await k
        .deleteFrom('launch_sessions')
        .where('expires_at', '<=', clock.now())
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type LaunchSessionRepository = ReturnType<typeof createLaunchSessionRepository>;
