import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogConfig, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  destroy(): Promise<void>;
}

// int8 (bigint) columns hold millisecond timestamps: well inside Number's safe range.
pg.types.setTypeParser(20, (v) => Number(v));

export type DatabaseTarget =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

/** `log`: Kysely's query log hook (benchmarks count statements with it); none in production. */
export function openDb(target: DatabaseTarget, opts: { log?: LogConfig } = {}): Db {
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
    const database = new SQLite(target.file);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(database) }),
      log: opts.log,
    });
    return { kysely, dialect: 'sqlite', destroy: () => kysely.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    // A test or a tenant may live in its own schema; every connection then resolves names there first.
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: opts.log });
  return { kysely, dialect: 'postgres', destroy: () => kysely.destroy() };
}

/**
 * Kysely prepares every SQLite statement anew; preparing costs more than running most of our small
 * queries. The same SQL text reuses its prepared statement (bounded, least recently added first out).
 */
export function withStatementCache(database: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      // A statement still iterating (a streamed query) cannot run again: give that caller its own.
      if (cached && !cached.busy) return cached;
      const statement = database.prepare(text);
      if (!cached) {
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db.kysely);
}
