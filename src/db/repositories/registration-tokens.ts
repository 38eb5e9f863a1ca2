import crypto from 'node:crypto';
import type { Clock } from '../../clock';
import type { Db } from '../connection';

export interface IssuedRegistrationToken {
  /** Shown once to the administrator; only its sha256 is stored. */
  token: string;
  expiresAt: number;
}

export interface RegistrationTokenInfo {
  tokenHash: string;
  note: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * One-time tokens an administrator hands out so that a Dynamic Registration made with them is active
 * at once. Consumption is one conditional UPDATE: the token works for exactly one registration.
 */
export function createRegistrationTokenRepository(
  db: Db,
  clock: Clock,
  randomBytes: (n: number) => Buffer = crypto.randomBytes,
) {
  const k = db.kysely;
  return {
    async issue(opts: { ttlMs: number; note?: string | null }): Promise<IssuedRegistrationToken> {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = now + opts.ttlMs;
      await k
        .insertInto('registration_tokens')
        .values({
          token_hash: sha256(token),
          note: opts.note ?? null,
          created_at: now,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
      return { token, expiresAt };
    },

    /** True exactly once for an issued, unexpired token. */
    async consume(token: string): Promise<boolean> {
      const now = clock.now();
      const r = await k
        .updateTable('registration_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', sha256(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Checks without consuming (to tell the admin before the registration is attempted). */
    async isUsable(token: string): Promise<boolean> {
      const row = await k
        .selectFrom('registration_tokens')
        .select('token_hash')
        .where('token_hash', '=', sha256(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', clock.now())
        .executeTakeFirst();
      return row !== undefined;
    },

    async list(): Promise<RegistrationTokenInfo[]> {
      const rows = await k
        .selectFrom('registration_tokens')
        .selectAll()
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((r) => ({
        tokenHash: r.token_hash,
        note: r.note,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        usedAt: r.used_at,
      }));
    },

    async revoke(tokenHash: string): Promise<boolean> {
      const r = await k
        .deleteFrom('registration_tokens')
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

export type RegistrationTokenRepository = ReturnType<typeof createRegistrationTokenRepository>;
