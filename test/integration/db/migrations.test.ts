import pg from 'pg';
import { sql } from 'kysely';
import { migrateToLatest } from '../../../src/db';
import { createTestDb, postgresUrl, testDialects } from '../../support/databases';

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

describe('migrations on PostgreSQL started by several processes at once', () => {
  const run = testDialects().includes('postgres') ? it : it.skip;
  run('take turns from the very first statement: each migration applied once, none failing', async () => {
    for (let round = 0; round < 3; round++) {
      // One pool, several connections: two starts racing on a fresh schema, as two processes would.
      const db = await createTestDb('postgres', { migrate: false });
      try {
        const results = await Promise.all([migrateToLatest(db), migrateToLatest(db), migrateToLatest(db)]);
        const applied = results.flat();
        expect(applied.length).toBeGreaterThan(0);
        expect(new Set(applied).size).toBe(applied.length);
        expect(results.filter((r) => r.length > 0)).toHaveLength(1);
      } finally {
        await db.drop();
      }
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

describe('migrations on PostgreSQL while neighbouring schemas come and go', () => {
  const run = testDialects().includes('postgres') ? it : it.skip;
  run('succeed even when another schema is dropped while Kysely lists the tables', async () => {
    let churning = true;
    const churn = (async () => {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      for (let i = 0; churning; i++) {
        const name = `churn_${process.pid}_${i}`;
        await admin.query(`create schema ${name}`);
        await admin.query(`create table ${name}.t (n int)`);
        await admin.query(`drop schema ${name} cascade`);
      }
      await admin.end();
    })();
    try {
      for (let i = 0; i < 8; i++) {
        const db = await createTestDb('postgres');
        await db.drop();
      }
    } finally {
      churning = false;
      await churn;
    }
  });
});
