import type { JWK, KeyLike } from 'jose';

/** Milliseconds since the epoch, injected so tests and simulations control time. */
export interface Clock {
  now(): number;
}

/** Node 20's global fetch satisfies this; tests inject their own. */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** CSPRNG bytes; injected so simulations can be reproducible. Defaults to node:crypto. */
export type RandomBytes = (size: number) => Uint8Array;

export type PlatformStatus = 'active' | 'pending' | 'disabled';

/** A platform registration keyed by (issuer, clientId); src/db's PlatformRecord satisfies it. */
export interface Platform {
  id: string;
  issuer: string;
  clientId: string;
  authEndpoint: string;
  tokenEndpoint: string | null;
  /** The `aud` of our client assertion when the platform names one other than its token endpoint. */
  authorizationServer: string | null;
  jwksUri: string;
  status: PlatformStatus;
  deploymentIds: string[];
}

export type PlatformLookupResult =
  { kind: 'found'; platform: Platform } | { kind: 'not_found' } | { kind: 'ambiguous'; clientIds: string[] };

export interface PlatformLookup {
  /** Without clientId the issuer must hold exactly one registration, else 'ambiguous'. */
  find(issuer: string, clientId?: string): Promise<PlatformLookupResult>;
}

export type NonceConsumeResult = 'ok' | 'unknown' | 'replayed';

/** One-time nonces: the login saves, the launch consumes. Expired nonces count as unknown. */
export interface NonceStore {
  save(platformId: string, nonce: string, expiresAt: number): Promise<void>;
  consume(platformId: string, nonce: string, now: number): Promise<NonceConsumeResult>;
}

/** next: published, not signing yet; current: signing; previous: published, not signing; retired: gone. */
export type ToolKeyState = 'next' | 'current' | 'previous' | 'retired';

/** Mirrors src/db's tool_keys row (JWKs as objects rather than JSON text). */
export interface ToolKeyRecord {
  kid: string;
  alg: 'RS256';
  publicJwk: JWK;
  privateJwk: JWK;
  state: ToolKeyState;
  createdAt: number;
  /** For a `next` key: when it may start signing. */
  activateAfter: number | null;
  activatedAt: number | null;
  /** For a `previous` key: when it may leave the JWKS. */
  retireAfter: number | null;
  retiredAt: number | null;
}

export type ToolKeyChanges = Partial<
  Pick<ToolKeyRecord, 'state' | 'activateAfter' | 'activatedAt' | 'retireAfter' | 'retiredAt'>
>;

/** Storage of the tool's own keys. */
export interface KeyStore {
  /** Every key not retired (retired ones may be included; they are ignored). */
  list(): Promise<ToolKeyRecord[]>;
  insert(key: ToolKeyRecord): Promise<void>;
  update(kid: string, changes: ToolKeyChanges): Promise<void>;
}

/** What signs our JWTs (client assertions, deep linking responses): ToolKeySet is one. */
export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: KeyLike;
}
export interface ToolSigner {
  signingKey(now: number): Promise<SigningKey>;
}

export interface Jwks {
  keys: JWK[];
}
