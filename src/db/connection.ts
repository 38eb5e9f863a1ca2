import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type LogConfig,
  type PostgresPool,
  type PostgresPoolClient,
  type SqliteDatabase,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  destroy(): Promise<void>;
  /**
   * Marks a statement as hot (prepared.ts): on PostgreSQL it then runs as a named prepared statement,
   * parsed and planned once per connection instead of on every call. SQLite's statement cache already
   * prepares every text once, so there it does nothing.
   */
  markHot(sql: string): void;
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
    return { kysely, dialect: 'sqlite', destroy: () => kysely.destroy(), markHot: () => undefined };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    // A test or a tenant may live in its own schema; every connection then resolves names there first.
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  // An idle connection that fails (server restart, network cut) is dropped by the pool; without a
  // listener the error would end the process. The next query opens a new connection, or fails and
  // is reported where it ran.
  pool.on('error', () => undefined);
  const names = new Map<string, string>();
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: withNamedStatements(pool, names) }),
    log: opts.log,
  });
  return {
    kysely,
    dialect: 'postgres',
    destroy: () => kysely.destroy(),
    markHot: (text) => {
      if (!names.has(text)) names.set(text, `hot_${names.size + 1}`);
    },
  };
}

/**
 * The pool as kysely sees it, running the statements named in `names` as named prepared statements
 * (pg sends Parse once per connection and name, then only Bind and Execute; the server plans once).
 * Each client keeps one wrapper: kysely keys its connections by the client object.
 */
function withNamedStatements(pool: pg.Pool, names: ReadonlyMap<string, string>): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        // A named statement the server no longer accepts stays broken on its connection (pg prepares
        // a name once): after a column type change (0A000 "cached plan must not change result type")
        // or a statement pg believes prepared but the server dropped (26000). The connection is then
        // closed at its release, so the pool opens a fresh one: one failed query per connection.
        let poisoned = false;
        const query = async (text: unknown, values?: readonly unknown[]) => {
          const name = typeof text === 'string' ? names.get(text) : undefined;
          if (!name) return client.query(text as string, values as unknown[]);
          try {
            return await client.query({ name, text: text as string, values: values as unknown[] });
          } catch (err) {
            const code = (err as { code?: unknown }).code;
            if (code === '0A000' || code === '26000') poisoned = true;
            throw err;
          }
        };
        wrapper = {
          query: query as unknown as PostgresPoolClient['query'],
          release: (destroy) => {
            if (poisoned) wrappers.delete(client);
            client.release(destroy || poisoned);
          },
        };
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
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
