import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connection';
import { migrations } from './migrations';

class StaticProvider implements MigrationProvider {
  constructor(private readonly list: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.list;
  }
}

/** Brings the schema up to date; the same migrations serve SQLite and PostgreSQL. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // On PostgreSQL, Kysely looks for its migration tables in every schema it can see unless told which:
  // another installation (or test) in a neighbouring schema would then be mistaken for ours.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s
      : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: new StaticProvider(migrations),
    // Features add numbered migrations in parallel branches; order within a fresh database is still by name.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
