import { sql } from 'kysely';
import { prepareQuery } from '../../../src/db/prepared';
import { createTestDb, testDialects, type TestDb } from '../../support/databases';

describe.each(testDialects())('prepared queries on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
  });
  afterAll(async () => {
    await db.drop();
  });

  const settingInsert = (d: TestDb) =>
    prepareQuery<{ key: string; value: string; now: number }>(d, (p) =>
      d.kysely.insertInto('settings').values({ key: p('key'), value: p('value'), updated_at: p('now') }),
    );

  it('binds each call its own values, in the places the query named them', async () => {
    const insert = settingInsert(db);
    await insert.execute({ key: 'a', value: 'first', now: 1 });
    await insert.execute({ key: 'b', value: 'second', now: 2 });
    const rows = await db.kysely
      .selectFrom('settings')
      .selectAll()
      .where('key', 'in', ['a', 'b'])
      .orderBy('key')
      .execute();
    expect(rows.map((r) => [r.key, r.value, Number(r.updated_at)])).toEqual([
      ['a', 'first', 1],
      ['b', 'second', 2],
    ]);
  });

  it('keeps constants of the query and binds one name used twice at both places', async () => {
    const update = prepareQuery<{ key: string; now: number }, { key: string; value: string }>(db, (p) =>
      db.kysely
        .updateTable('settings')
        .set({ value: 'constant', updated_at: p('now') })
        .where('key', '=', p('key'))
        .where('updated_at', '<', p('now'))
        .returning(['key', 'value']),
    );
    expect((await update.execute({ key: 'a', now: 10 })).rows).toEqual([{ key: 'a', value: 'constant' }]);
    // updated_at is now 10, and 10 < 10 is false: the second use of `now` was bound too.
    expect((await update.execute({ key: 'a', now: 10 })).rows).toEqual([]);
  });

  it('runs inside a transaction when given one, and rolls back with it', async () => {
    const insert = settingInsert(db);
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await insert.execute({ key: 'in-trx', value: 'x', now: 3 }, trx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.kysely.selectFrom('settings').selectAll().where('key', '=', 'in-trx').execute()).toEqual(
      [],
    );
  });

  it('runs as a named prepared statement on PostgreSQL: parsed and planned once per connection', async () => {
    if (dialect !== 'postgres') return;
    const insert = settingInsert(db);
    const named = await db.kysely.transaction().execute(async (trx) => {
      // Twice on one connection: the server keeps one prepared statement for it.
      await insert.execute({ key: 'named-1', value: 'x', now: 5 }, trx);
      await insert.execute({ key: 'named-2', value: 'y', now: 6 }, trx);
      return sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx);
    });
    expect(named.rows.filter((r) => r.statement === insert.sql)).toHaveLength(1);
  });

  it('recovers after a column type change: a connection whose named statement broke is replaced', async () => {
    if (dialect !== 'postgres') return;
    const read = prepareQuery<{ key: string }, { key: string; value: string }>(db, (p) =>
      db.kysely.selectFrom('settings').select(['key', 'value']).where('key', '=', p('key')),
    );
    await db.kysely.insertInto('settings').values({ key: 'ddl', value: 'v', updated_at: 1 }).execute();
    // Every connection of the pool (5) prepares the statement.
    await Promise.all(Array.from({ length: 10 }, () => read.execute({ key: 'ddl' })));
    // Another process changes a returned column's type: PostgreSQL then refuses the cached plans.
    await sql`alter table settings alter column value type varchar(4000)`.execute(db.kysely);
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      outcomes.push(
        await read.execute({ key: 'ddl' }).then(
          (r) => r.rows[0]?.value ?? 'none',
          () => 'failed',
        ),
      );
    }
    // At most one failure per connection, then every query succeeds on a fresh one.
    expect(outcomes.filter((o) => o === 'failed').length).toBeLessThanOrEqual(5);
    expect(outcomes.slice(-5)).toEqual(['v', 'v', 'v', 'v', 'v']);
  });

  it('refuses a call with a value missing, rather than binding NULL', async () => {
    const insert = settingInsert(db);
    await expect(insert.execute({ key: 'c', now: 4 } as never)).rejects.toThrow('no value for "value"');
  });

  it('refuses, when built, a query whose parameter ended up inside the SQL text', () => {
    expect(() =>
      prepareQuery<{ name: string }>(db, (p) =>
        // An identifier is written into the SQL text, never bound: the marker would be in the text.
        db.kysely
          .selectFrom('settings')
          .select('key')
          .where(sql.ref(p('name')), '=', 'x'),
      ),
    ).toThrow('inlined');
  });
});
