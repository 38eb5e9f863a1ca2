import { sql, type Kysely } from 'kysely';
import type { Db } from './connection';
import { migrations } from './migrations';

// The table Kysely's own migrator used: existing installations keep their history.
const HISTORY = 'kysely_migration';

/**
 * Brings the schema up to date; the same migrations serve SQLite and PostgreSQL. Our own small runner
 * rather than Kysely's Migrator: that one lists the tables of every PostgreSQL schema to find its
 * history, which fails when a neighbouring schema (another installation, a parallel test) is dropped
 * at that moment. Everything here names only the current schema. Pending migrations run in name order,
 * in one transaction, under an advisory lock on PostgreSQL so that processes starting together take
 * turns.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const k = db.kysely as unknown as Kysely<any>;
  return k.transaction().execute(async (tx) => {
    if (db.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.pixlti.migrations'))`.execute(tx);
    }
    // Under the lock: two processes creating the history table at once on a fresh PostgreSQL schema
    // collide in the catalog even with IF NOT EXISTS (DDL is transactional there, so this is safe).
    await tx.schema
      .createTable(HISTORY)
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
      .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
      .execute();
    const done = new Set(
      (await tx.selectFrom(HISTORY).select('name').execute()).map((r: { name: string }) => r.name),
    );
    const applied: string[] = [];
    for (const name of Object.keys(migrations).sort()) {
      if (done.has(name)) continue;
      await migrations[name]!.up(tx);
      await tx.insertInto(HISTORY).values({ name, timestamp: new Date().toISOString() }).execute();
      applied.push(name);
    }
    return applied;
  });
}
