import crypto from 'node:crypto';
import type { Clock } from '../../clock';
import type { Db } from '../connection';
import { prepareQuery } from '../prepared';
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
  return {
    async create(input: NewLaunchSession): Promise<{ token: string; session: LaunchSessionRecord }> {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      const session: LaunchSessionRecord = {
        ...input,
        id: hashLaunchToken(token),
        createdAt: now,
        expiresAt: now + opts.ttlMs,
      };
      await insert.execute({
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
      });
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
