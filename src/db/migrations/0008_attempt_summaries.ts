import type { Kysely } from 'kysely';

/**
 * What the teacher dashboard needs of an attempt's progress (its level per competence), kept small so
 * that a class of thousands is not read as thousands of ~15 KiB progress documents. A row holds the
 * summary of the attempt as it was at `updated_at`: it is only trusted while that equals the attempt's
 * own `updated_at` (every progress write moves it), so rows written before this table, or changed
 * since, are summarised again from the progress on the next read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attempt_summaries')
    .addColumn('attempt_id', 'text', (c) => c.primaryKey().references('attempts.id').onDelete('cascade'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('levels', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('attempt_summaries').execute();
}
