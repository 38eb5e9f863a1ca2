import crypto from 'node:crypto';
import type { Clock } from '../../clock';
import type { Db } from '../connection';
import type { PlatformsTable } from '../tables/lti';

export type PlatformStatus = PlatformsTable['status'];

export interface PlatformRecord {
  id: string;
  issuer: string;
  clientId: string;
  name: string;
  authEndpoint: string;
  tokenEndpoint: string | null;
  authorizationServer: string | null;
  jwksUri: string;
  status: PlatformStatus;
  source: PlatformsTable['source'];
  /** What Dynamic Registration returned (or null for a manual registration). */
  registration: unknown;
  deploymentIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface NewPlatform {
  issuer: string;
  clientId: string;
  name: string;
  authEndpoint: string;
  tokenEndpoint?: string | null;
  authorizationServer?: string | null;
  jwksUri: string;
  status: PlatformStatus;
  source: PlatformsTable['source'];
  registration?: unknown;
  deploymentIds?: string[];
}

export type FindPlatformResult =
  | { kind: 'found'; platform: PlatformRecord }
  | { kind: 'not_found' }
  /** The issuer holds several client ids and the request named none. */
  | { kind: 'ambiguous'; clientIds: string[] };

export class DuplicatePlatformError extends Error {
  constructor(
    public readonly issuer: string,
    public readonly clientId: string,
  ) {
    super(`a platform with issuer ${issuer} and client id ${clientId} is already registered`);
    this.name = 'DuplicatePlatformError';
  }
}

/** The platform registry, keyed by (issuer, client_id), with each platform's deployment ids. */
export function createPlatformRepository(db: Db, clock: Clock) {
  const k = db.kysely;

  async function hydrate(rows: PlatformsTable[]): Promise<PlatformRecord[]> {
    if (rows.length === 0) return [];
    const deps = await k
      .selectFrom('deployments')
      .select(['platform_id', 'deployment_id'])
      .where(
        'platform_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      issuer: r.issuer,
      clientId: r.client_id,
      name: r.name,
      authEndpoint: r.auth_endpoint,
      tokenEndpoint: r.token_endpoint,
      authorizationServer: r.authorization_server,
      jwksUri: r.jwks_uri,
      status: r.status,
      source: r.source,
      registration: r.registration ? JSON.parse(r.registration) : null,
      deploymentIds: deps.filter((d) => d.platform_id === r.id).map((d) => d.deployment_id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  return {
    async findById(id: string): Promise<PlatformRecord | undefined> {
      const rows = await k.selectFrom('platforms').selectAll().where('id', '=', id).execute();
      return (await hydrate(rows))[0];
    },

    /** The login may omit client_id: then the issuer must hold exactly one registration. */
    async find(issuer: string, clientId?: string): Promise<FindPlatformResult> {
      let q = k.selectFrom('platforms').selectAll().where('issuer', '=', issuer);
      if (clientId !== undefined) q = q.where('client_id', '=', clientId);
      const rows = await q.execute();
      if (rows.length === 0) return { kind: 'not_found' };
      if (rows.length > 1) return { kind: 'ambiguous', clientIds: rows.map((r) => r.client_id) };
      const [platform] = await hydrate(rows);
      return { kind: 'found', platform: platform! };
    },

    async list(): Promise<PlatformRecord[]> {
      return hydrate(await k.selectFrom('platforms').selectAll().orderBy('created_at').execute());
    },

    async add(input: NewPlatform): Promise<PlatformRecord> {
      const now = clock.now();
      const id = crypto.randomUUID();
      try {
        await k.transaction().execute(async (tx) => {
          await tx
            .insertInto('platforms')
            .values({
              id,
              issuer: input.issuer,
              client_id: input.clientId,
              name: input.name,
              auth_endpoint: input.authEndpoint,
              token_endpoint: input.tokenEndpoint ?? null,
              authorization_server: input.authorizationServer ?? null,
              jwks_uri: input.jwksUri,
              status: input.status,
              source: input.source,
              registration: input.registration === undefined ? null : JSON.stringify(input.registration),
              created_at: now,
              updated_at: now,
            })
            .execute();
          for (const deploymentId of new Set(input.deploymentIds ?? [])) {
            await tx
              .insertInto('deployments')
              .values({ platform_id: id, deployment_id: deploymentId, created_at: now })
              .execute();
          }
        });
      } catch (err) {
        const existing = await this.find(input.issuer, input.clientId);
        if (existing.kind === 'found') throw new DuplicatePlatformError(input.issuer, input.clientId);
        throw err;
      }
      return (await this.findById(id))!;
    },

    /** Idempotent. */
    async addDeployment(platformId: string, deploymentId: string): Promise<void> {
      await k
        .insertInto('deployments')
        .values({ platform_id: platformId, deployment_id: deploymentId, created_at: clock.now() })
        .onConflict((oc) => oc.columns(['platform_id', 'deployment_id']).doNothing())
        .execute();
    },

    async removeDeployment(platformId: string, deploymentId: string): Promise<boolean> {
      const r = await k
        .deleteFrom('deployments')
        .where('platform_id', '=', platformId)
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async hasDeployment(platformId: string, deploymentId: string): Promise<boolean> {
      const row = await k
        .selectFrom('deployments')
        .select('deployment_id')
        .where('platform_id', '=', platformId)
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async setStatus(id: string, status: PlatformStatus): Promise<boolean> {
      const r = await k
        .updateTable('platforms')
        .set({ status, updated_at: clock.now() })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async remove(id: string): Promise<boolean> {
      return k.transaction().execute(async (tx) => {
        await tx.deleteFrom('deployments').where('platform_id', '=', id).execute();
        const r = await tx.deleteFrom('platforms').where('id', '=', id).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    },

    /** Origins allowed to frame the tool: those of active platforms' auth endpoints. */
    /** Issuer and auth endpoint of every active platform: what framing is allowed from (headers.ts). */
    async activeWebAddresses(): Promise<Array<{ issuer: string; authEndpoint: string }>> {
      const rows = await k
        .selectFrom('platforms')
        .select(['issuer', 'auth_endpoint'])
        .where('status', '=', 'active')
        .execute();
      return rows.map((r) => ({ issuer: r.issuer, authEndpoint: r.auth_endpoint }));
    },
  };
}

export type PlatformRepository = ReturnType<typeof createPlatformRepository>;
