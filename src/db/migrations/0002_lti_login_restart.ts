import type { Kysely } from 'kysely';

// The login's hints, kept with the state so that a launch whose state cookie was blocked can restart
// first-party in a new window (same issuer, login_hint and lti_message_hint) instead of failing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oidc_states').addColumn('login_hint', 'text').execute();
  await db.schema.alterTable('oidc_states').addColumn('message_hint', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oidc_states').dropColumn('message_hint').execute();
  await db.schema.alterTable('oidc_states').dropColumn('login_hint').execute();
}
