import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { LogConfig } from 'kysely';
import { migrateToLatest, openDb, type Db, type Dialect } from '../../src/db';

/**
 * Integration tests run against every database the suite has: SQLite always, PostgreSQL unless
 * scripts/test.js found none (and then it says so loudly, and fails under CI=true).
 */
export function testDialects(): Dialect[] {
  return process.env.TEST_SKIP_POSTGRES === '1' ? ['sqlite'] : ['sqlite', 'postgres'];
}

export const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb extends Db {
  /** Drops what the test created (the schema on PostgreSQL, the file on SQLite). */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated, isolated database: its own file or its own PostgreSQL schema. `log` sees every
 * statement executed (prepared ones included), e.g. to count what a request costs.
 */
export async function createTestDb(
  dialect: Dialect,
  opts: { migrate?: boolean; log?: LogConfig } = {},
): Promise<TestDb> {
  const id = crypto.randomBytes(6).toString('hex');
  let db: Db;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixlti-'));
    db = openDb({ kind: 'sqlite', file: path.join(dir, 'test.db') }, { log: opts.log });
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `t_${id}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    db = openDb({ kind: 'postgres', url: postgresUrl, schema, poolSize: 5 }, { log: opts.log });
    cleanup = async () => {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    };
  }
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(db);
    } catch (err) {
      // Leave nothing behind: a stale schema would confuse later runs.
      await db.destroy();
      await cleanup();
      throw err;
    }
  }
  let dropped = false;
  return {
    ...db,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.destroy();
      await cleanup();
    },
  };
}
