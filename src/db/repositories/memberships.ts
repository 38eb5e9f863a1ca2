import type { Db } from '../connection';

export interface MembershipRecord {
  userSub: string;
  roles: string[];
  status: string | null;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  fetchedAt: number;
}

export interface RosterFetch {
  fetchedAt: number;
  memberCount: number;
  error: string | null;
}

/** Rows per INSERT: well under both databases' bound-parameter limits (10 columns each). */
const CHUNK = 250;

/** The NRPS roster cache per (platform, context), and when it was last fetched. */
export function createMembershipRepository(db: Db) {
  const k = db.kysely;
  return {
    /** Replaces a context's roster in one transaction (members who left the course disappear). */
    async replace(
      platformId: string,
      contextId: string,
      members: Omit<MembershipRecord, 'fetchedAt'>[],
      now: number,
    ): Promise<void> {
      await k.transaction().execute(async (tx) => {
        await tx
          .deleteFrom('memberships')
          .where('platform_id', '=', platformId)
          .where('context_id', '=', contextId)
          .execute();
        const unique = [...new Map(members.map((m) => [m.userSub, m])).values()];
        for (let i = 0; i < unique.length; i += CHUNK) {
          await tx
            .insertInto('memberships')
            .values(
              unique.slice(i, i + CHUNK).map((m) => ({
                platform_id: platformId,
                context_id: contextId,
                user_sub: m.userSub,
                roles: JSON.stringify(m.roles),
                status: m.status,
                name: m.name,
                given_name: m.givenName,
                family_name: m.familyName,
                email: m.email,
                fetched_at: now,
              })),
            )
            .execute();
        }
        await tx
          .insertInto('roster_fetches')
          .values({
            platform_id: platformId,
            context_id: contextId,
            fetched_at: now,
            member_count: unique.length,
            error: null,
          })
          .onConflict((oc) =>
            oc
              .columns(['platform_id', 'context_id'])
              .doUpdateSet({ fetched_at: now, member_count: unique.length, error: null }),
          )
          .execute();
      });
    },

    /** Records a failed refresh (the cached roster stays). */
    async recordFailure(platformId: string, contextId: string, error: string, now: number): Promise<void> {
      const existing = await this.lastFetch(platformId, contextId);
      await k
        .insertInto('roster_fetches')
        .values({
          platform_id: platformId,
          context_id: contextId,
          fetched_at: existing?.fetchedAt ?? 0,
          member_count: existing?.memberCount ?? 0,
          error: error.slice(0, 500),
        })
        .onConflict((oc) =>
          oc.columns(['platform_id', 'context_id']).doUpdateSet({ error: error.slice(0, 500) }),
        )
        .execute();
      void now;
    },

    async lastFetch(platformId: string, contextId: string): Promise<RosterFetch | undefined> {
      const row = await k
        .selectFrom('roster_fetches')
        .selectAll()
        .where('platform_id', '=', platformId)
        .where('context_id', '=', contextId)
        .executeTakeFirst();
      return row
        ? { fetchedAt: Number(row.fetched_at), memberCount: Number(row.member_count), error: row.error }
        : undefined;
    },

    async list(platformId: string, contextId: string): Promise<MembershipRecord[]> {
      const rows = await k
        .selectFrom('memberships')
        .selectAll()
        .where('platform_id', '=', platformId)
        .where('context_id', '=', contextId)
        .execute();
      return rows.map((r) => ({
        userSub: r.user_sub,
        roles: JSON.parse(r.roles) as string[],
        status: r.status,
        name: r.name,
        givenName: r.given_name,
        familyName: r.family_name,
        email: r.email,
        fetchedAt: Number(r.fetched_at),
      }));
    },
  };
}
export type MembershipRepository = ReturnType<typeof createMembershipRepository>;
