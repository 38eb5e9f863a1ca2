import crypto from 'node:crypto';
import type { Clock } from '../../clock';
import type { Db } from '../connection';

export interface AdminRecord {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: number;
}

export class DuplicateAdminError extends Error {
  constructor(public readonly username: string) {
    super(`an administrator named ${username} already exists`);
    this.name = 'DuplicateAdminError';
  }
}

export function createAdminRepository(db: Db, clock: Clock) {
  const k = db.kysely;
  const toRecord = (r: { id: string; username: string; password_hash: string; created_at: number }) => ({
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
  });
  return {
    async create(username: string, passwordHash: string): Promise<AdminRecord> {
      if (await this.findByUsername(username)) throw new DuplicateAdminError(username);
      const row = { id: crypto.randomUUID(), username, password_hash: passwordHash, created_at: clock.now() };
      await k.insertInto('admins').values(row).execute();
      return toRecord(row);
    },
    async findByUsername(username: string): Promise<AdminRecord | undefined> {
      const r = await k.selectFrom('admins').selectAll().where('username', '=', username).executeTakeFirst();
      return r && toRecord(r);
    },
    async findById(id: string): Promise<AdminRecord | undefined> {
      const r = await k.selectFrom('admins').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRecord(r);
    },
    async setPassword(username: string, passwordHash: string): Promise<boolean> {
      const r = await k
        .updateTable('admins')
        .set({ password_hash: passwordHash })
        .where('username', '=', username)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async list(): Promise<AdminRecord[]> {
      return (await k.selectFrom('admins').selectAll().orderBy('created_at').execute()).map(toRecord);
    },
    async count(): Promise<number> {
      const r = await k
        .selectFrom('admins')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export type AdminRepository = ReturnType<typeof createAdminRepository>;
