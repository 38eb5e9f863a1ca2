import session from 'express-session';
import type { AdminSessionRepository } from '../../db/repositories/admin-sessions';

/** express-session store over the admin_sessions table (SQLite or PostgreSQL). */
export class DbSessionStore extends session.Store {
  constructor(
    private readonly repo: AdminSessionRepository,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {
    super();
  }

  private expiry(sess: session.SessionData): number {
    const cookieExpiry = sess.cookie?.expires ? new Date(sess.cookie.expires).getTime() : undefined;
    return cookieExpiry ?? this.now() + this.ttlMs;
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    this.repo.get(sid).then(
      (data) => cb(null, (data as session.SessionData | undefined) ?? null),
      (err) => cb(err),
    );
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    this.repo.set(sid, sess, this.expiry(sess)).then(
      () => cb?.(),
      (err) => cb?.(err),
    );
  }

  override touch(sid: string, sess: session.SessionData, cb?: () => void): void {
    this.repo.touch(sid, this.expiry(sess)).then(
      () => cb?.(),
      () => cb?.(),
    );
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.repo.destroy(sid).then(
      () => cb?.(),
      (err) => cb?.(err),
    );
  }
}
