import { sql } from 'kysely';
import { migrateToLatest } from '../../../src/db';
import { createTestDb, testDialects } from '../../support/databases';

describe.each(testDialects())('migrations on %s', (dialect) => {
  it('create every table on an empty database, then do nothing the second time', async () => {
    const db = await createTestDb(dialect, { migrate: false });
    try {
      const first = await migrateToLatest(db);
      expect(first.length).toBeGreaterThan(0);
      expect(await migrateToLatest(db)).toEqual([]);
      await db.kysely
        .insertInto('platforms')
        .values({
          id: 'p1',
          issuer: 'https://lms.example',
          client_id: 'c1',
          name: 'LMS',
          auth_endpoint: 'https://lms.example/auth',
          token_endpoint: null,
          authorization_server: null,
          jwks_uri: 'https://lms.example/jwks',
          status: 'active',
          source: 'manual',
          registration: null,
          created_at: Date.now(),
          updated_at: Date.now(),
        })
        .execute();
      const row = await db.kysely.selectFrom('platforms').selectAll().executeTakeFirstOrThrow();
      expect(typeof row.created_at).toBe('number');
      const n = await sql<{ n: number }>`select count(*) as n from platforms`.execute(db.kysely);
      expect(Number(n.rows[0]?.n)).toBe(1);
    } finally {
      await db.drop();
    }
  });
});

describe('migrations on PostgreSQL beside another installation', () => {
  const run = testDialects().includes('postgres') ? it : it.skip;
  run('ignore the migration tables of a neighbouring schema', async () => {
    const neighbour = await createTestDb('postgres');
    const db = await createTestDb('postgres', { migrate: false });
    try {
      // The neighbour is fully migrated (its own kysely_migration tables); ours starts empty.
      expect((await migrateToLatest(db)).length).toBeGreaterThan(0);
      expect(await migrateToLatest(db)).toEqual([]);
    } finally {
      await db.drop();
      await neighbour.drop();
    }
  });
});
