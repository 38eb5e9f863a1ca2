import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Db } from './connection';
import type { Database } from './schema';

// A value no caller ever binds: it marks, in the compiled parameters, where each named value goes.
const MARK = '\u0000prepared-param:';

/** A query compiled once; each call binds its values and runs it (on `on`, e.g. a transaction). */
export interface PreparedQuery<P extends object, R> {
  readonly sql: string;
  execute(params: P, on?: Kysely<Database>): Promise<QueryResult<R>>;
}

/**
 * Builds and compiles a query once, for the dialect of `db`; each call then only binds its values.
 * Kysely rebuilds the query's node tree and recompiles it to SQL on every call, which on the launch
 * path cost more CPU than SQLite took to run the statements. `build` receives `param(name)`, which
 * stands for the named value wherever a value goes (values, set, where): pass values already in their
 * stored form (JSON strings, numbers), since the marker itself is what gets built and compiled. The
 * same SQL text also hits the SQLite statement cache, and runs as a named prepared statement on
 * PostgreSQL (connection.ts, `markHot`).
 *
 * Plugins' transformQuery does not run for a prepared query (it is already compiled): none is used.
 */
export function prepareQuery<P extends object, R = unknown>(
  db: Db,
  build: (param: <K extends keyof P & string>(name: K) => P[K]) => Compilable<R>,
): PreparedQuery<P, R> {
  const { kysely } = db;
  const compiled = build((name) => `${MARK}${name}` as never).compile();
  if (compiled.sql.includes(MARK)) {
    throw new Error('prepareQuery: a parameter was inlined into the SQL text instead of bound');
  }
  // For each position: the name of the value to bind there, or a constant the query itself holds.
  type Slot = { kind: 'param'; name: keyof P & string } | { kind: 'constant'; value: unknown };
  const slots = compiled.parameters.map((v): Slot =>
    typeof v === 'string' && v.startsWith(MARK)
      ? { kind: 'param', name: v.slice(MARK.length) as keyof P & string }
      : { kind: 'constant', value: v },
  );
  const { sql } = compiled;
  db.markHot(sql);
  return {
    sql,
    async execute(params, on) {
      const values = slots.map((s) => {
        if (s.kind === 'constant') return s.value;
        const v = params[s.name];
        // undefined would bind as NULL on one driver and fail on the other: a missing value is a bug.
        if (v === undefined) throw new Error(`prepareQuery: no value for "${s.name}"`);
        return v;
      });
      return (on ?? kysely).executeQuery<R>(CompiledQuery.raw(sql, values));
    },
  };
}
