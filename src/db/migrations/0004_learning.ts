import type { Kysely } from 'kysely';

/**
 * Placements, learners, attempts and their answers, attestations, rosters and the delivery outbox.
 * Identity: a learner is (platform, sub); a placement is (platform, deployment, resource link).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('placements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform_id', 'text', (c) => c.notNull().references('platforms.id').onDelete('cascade'))
    .addColumn('deployment_id', 'text', (c) => c.notNull())
    .addColumn('resource_link_id', 'text', (c) => c.notNull())
    .addColumn('context_id', 'text')
    .addColumn('context_title', 'text')
    .addColumn('title', 'text')
    .addColumn('activity_kind', 'text')
    .addColumn('activity_id', 'text')
    .addColumn('grading', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('lineitems_url', 'text')
    .addColumn('lineitem_url', 'text')
    .addColumn('score_maximum', 'double precision')
    .addColumn('ags_scopes', 'text')
    .addColumn('nrps_url', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('placements_link_unique', ['platform_id', 'deployment_id', 'resource_link_id'])
    .execute();
  await db.schema
    .createIndex('placements_context')
    .on('placements')
    .columns(['platform_id', 'context_id'])
    .execute();

  await db.schema
    .createTable('learners')
    .addColumn('platform_id', 'text', (c) => c.notNull().references('platforms.id').onDelete('cascade'))
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('given_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('email', 'text')
    .addColumn('locale', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('learners_pk', ['platform_id', 'sub'])
    .execute();

  await db.schema
    .createTable('attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('placement_id', 'text', (c) => c.notNull().references('placements.id').onDelete('cascade'))
    .addColumn('platform_id', 'text', (c) => c.notNull())
    .addColumn('user_sub', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('activity_kind', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('content_version', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text')
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('current_challenge_id', 'text')
    .addColumn('current_shown_at', 'bigint')
    .addColumn('progress', 'text')
    .addColumn('result', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addUniqueConstraint('attempts_number_unique', ['placement_id', 'user_sub', 'number'])
    .execute();
  await db.schema.createIndex('attempts_user').on('attempts').columns(['platform_id', 'user_sub']).execute();

  await db.schema
    .createTable('answers')
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('challenge_id', 'text', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fields', 'text')
    .addColumn('shown_at', 'bigint')
    .addColumn('answered_at', 'bigint', (c) => c.notNull())
    .addColumn('time_spent_ms', 'bigint')
    .addPrimaryKeyConstraint('answers_pk', ['attempt_id', 'challenge_id'])
    .execute();

  await db.schema
    .createTable('element_answers')
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('module_id', 'text', (c) => c.notNull())
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('correct', 'integer')
    .addColumn('answered_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('element_answers_pk', ['attempt_id', 'module_id', 'element_id'])
    .execute();

  await db.schema
    .createTable('attestations')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) =>
      c.notNull().unique().references('attempts.id').onDelete('cascade'),
    )
    .addColumn('platform_id', 'text', (c) => c.notNull())
    .addColumn('user_sub', 'text', (c) => c.notNull())
    .addColumn('parcours_id', 'text', (c) => c.notNull())
    .addColumn('holder_name', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('platform_id', 'text', (c) => c.notNull().references('platforms.id').onDelete('cascade'))
    .addColumn('context_id', 'text', (c) => c.notNull())
    .addColumn('user_sub', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('name', 'text')
    .addColumn('given_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('email', 'text')
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['platform_id', 'context_id', 'user_sub'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('coalesce_key', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema
    .createIndex('outbox_coalesce')
    .on('outbox')
    .columns(['kind', 'coalesce_key', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'outbox',
    'memberships',
    'attestations',
    'element_answers',
    'answers',
    'attempts',
    'learners',
    'placements',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
