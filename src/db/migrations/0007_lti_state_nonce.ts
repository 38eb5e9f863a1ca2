import type { Kysely } from 'kysely';

/**
 * The login's nonce lives in its state row only (the separate nonces table is no longer written by
 * a launch): the state is marked used, atomically, when the launch takes it, and stays until it
 * expires so that a replayed id_token (whose nonce belonged to an already used state) is reported as
 * a replay rather than as an unknown nonce. The (platform, nonce) index serves that lookup, which
 * only a refused launch pays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oidc_states').addColumn('used_at', 'bigint').execute();
  await db.schema
    .createIndex('oidc_states_platform_nonce')
    .on('oidc_states')
    .columns(['platform_id', 'nonce'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('oidc_states_platform_nonce').execute();
  await db.schema.alterTable('oidc_states').dropColumn('used_at').execute();
}
