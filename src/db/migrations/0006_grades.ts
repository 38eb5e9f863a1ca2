import type { Kysely } from 'kysely';

/**
 * Grade delivery bookkeeping and roster refreshes.
 * - grade_sync_state: per outbox coalesce key (one learner on one placement), the newest score
 *   timestamp the platform holds, so we never send a second score within the same second (Moodle
 *   refuses it with 409) and resend with a strictly newer one.
 * - grade_line_items: the line item we found or created for a placement launched with a line items
 *   container but no line item (kept apart from placements, whose AGS values each launch rewrites).
 * - roster_fetches: when a context's NRPS roster was last fetched, and how it went.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('grade_sync_state')
    .addColumn('platform_id', 'text', (c) => c.notNull())
    .addColumn('coalesce_key', 'text', (c) => c.notNull())
    .addColumn('last_timestamp', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('grade_sync_state_pk', ['platform_id', 'coalesce_key'])
    .execute();

  await db.schema
    .createTable('grade_line_items')
    .addColumn('placement_id', 'text', (c) => c.primaryKey().references('placements.id').onDelete('cascade'))
    .addColumn('platform_id', 'text', (c) => c.notNull())
    .addColumn('lineitems_url', 'text', (c) => c.notNull())
    .addColumn('lineitem_url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('roster_fetches')
    .addColumn('platform_id', 'text', (c) => c.notNull())
    .addColumn('context_id', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('member_count', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('roster_fetches_pk', ['platform_id', 'context_id'])
    .execute();

  // The dashboard and the resync read each learner's score rows of a placement.
  await db.schema
    .createIndex('outbox_platform_coalesce')
    .on('outbox')
    .columns(['platform_id', 'coalesce_key', 'created_at'])
    .execute();
  // The grade sink reads a learner's latest launch of a link (roles, custom grading) at every event.
  await db.schema
    .createIndex('launch_sessions_user_link')
    .on('launch_sessions')
    .columns(['platform_id', 'user_sub', 'resource_link_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('launch_sessions_user_link').ifExists().execute();
  await db.schema.dropIndex('outbox_platform_coalesce').ifExists().execute();
  for (const t of ['roster_fetches', 'grade_line_items', 'grade_sync_state'])
    await db.schema.dropTable(t).ifExists().execute();
}
