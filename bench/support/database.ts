import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/db';

/** A throwaway database for one benchmark level: a SQLite file in a temp folder, or its own PostgreSQL schema. */
export async function benchDatabase(
  dialect: 'sqlite' | 'postgres',
  postgresUrl: string,
  prefix: string,
): Promise<{ target: DatabaseTarget; cleanup: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    return {
      target: { kind: 'sqlite', file: path.join(dir, 'tool.db') },
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
  const run = async (statement: string) => {
    const c = new pg.Client({ connectionString: postgresUrl });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await run(`create schema ${schema}`);
  return {
    target: { kind: 'postgres', url: postgresUrl, schema, poolSize: 10 },
    cleanup: () => run(`drop schema if exists ${schema} cascade`),
  };
}
