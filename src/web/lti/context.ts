import { PlatformKeyCache, ToolKeySet, type Fetch } from '../../../lti';
import type { Clock } from '../../clock';
import type { Config } from '../../config';
import type { Db } from '../../db';
import { createLaunchSessionRepository } from '../../db/repositories/launch-sessions';
import { createNonceRepository } from '../../db/repositories/nonces';
import { createOidcStateRepository } from '../../db/repositories/oidc-states';
import { createPlatformRepository } from '../../db/repositories/platforms';
import { createRegistrationTokenRepository } from '../../db/repositories/registration-tokens';
import { createToolKeyRepository } from '../../db/repositories/tool-keys';
import type { Logger } from '../../logger';
import { cachedPlatformLookup } from './platform-cache';

export interface LtiContextDeps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  /** Outgoing HTTP (platform JWKS, Dynamic Registration); defaults to Node's fetch. */
  fetch?: Fetch;
}

/** The tool's URLs, derived from PUBLIC_URL: what platforms are told and what we check against. */
export function toolUrls(publicUrl: string) {
  return {
    origin: new URL(publicUrl).origin,
    login: `${publicUrl}/lti/login`,
    launch: `${publicUrl}/lti/launch`,
    register: `${publicUrl}/lti/register`,
    jwks: `${publicUrl}/.well-known/jwks.json`,
    logo: `${publicUrl}/static/img/logo.svg`,
  };
}

/**
 * Everything the LTI routes share for one app: stores over the database, the tool key set and the
 * platforms' key cache (one per app so a launch costs no JWKS fetch once the kid is cached).
 */
export function createLtiContext(deps: LtiContextDeps) {
  const { db, clock, config } = deps;
  const fetchImpl: Fetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const platforms = createPlatformRepository(db, clock);
  return {
    ...deps,
    fetch: fetchImpl,
    urls: toolUrls(config.publicUrl),
    platforms,
    /** Login and launch read platforms through a cache of a few seconds (see platform-cache.ts). */
    launchPlatforms: cachedPlatformLookup(platforms, clock),
    toolKeys: createToolKeyRepository(db, clock),
    keySet: new ToolKeySet({ store: createToolKeyRepository(db, clock), overlapMs: config.keyOverlapMs }),
    platformKeys: new PlatformKeyCache({ fetch: fetchImpl, clock }),
    /** Not written by login and launch any more (the nonce lives in the state row); still purged. */
    nonces: createNonceRepository(db, clock),
    states: createOidcStateRepository(db, clock),
    sessions: createLaunchSessionRepository(db, clock, { ttlMs: config.launchSessionTtlMs, sliding: true }),
    registrationTokens: createRegistrationTokenRepository(db, clock),
    /** How long a login's state and nonce stay valid. */
    loginTtlMs: 10 * 60_000,
  };
}

export type LtiContext = ReturnType<typeof createLtiContext>;
