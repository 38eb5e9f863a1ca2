import SQLite from 'better-sqlite3';
import { withStatementCache } from '../../../src/db/connection';

describe('the SQLite statement cache', () => {
  it('prepares a statement once per SQL text and keeps giving correct results', () => {
    const raw = new SQLite(':memory:');
    const db = withStatementCache(raw, 2);
    db.prepare('create table t (n integer)').run([]);
    const insert = db.prepare('insert into t (n) values (?)');
    expect(db.prepare('insert into t (n) values (?)')).toBe(insert);
    for (const n of [1, 2, 3]) db.prepare('insert into t (n) values (?)').run([n]);
    expect(db.prepare('select sum(n) as s from t').all([])).toEqual([{ s: 6 }]);
    db.prepare('select 1');
    // Bounded: the oldest entry was evicted, a new statement is prepared and still works.
    const again = db.prepare('create table u (n integer)');
    expect(again).not.toBe(insert);
    db.close();
  });

  it('gives a fresh statement while the cached one is still iterating', () => {
    const raw = new SQLite(':memory:');
    const db = withStatementCache(raw);
    db.prepare('create table t (n integer)').run([]);
    for (const n of [1, 2]) db.prepare('insert into t (n) values (?)').run([n]);
    const first = db.prepare('select n from t order by n');
    const it = first.iterate([]) as IterableIterator<{ n: number }>;
    expect(it.next().value).toEqual({ n: 1 });
    const second = db.prepare('select n from t order by n');
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{ n: 1 }, { n: 2 }]);
    it.return?.();
    db.close();
  });
});
