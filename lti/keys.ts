import crypto from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import type { Jwks, KeyStore, RandomBytes, SigningKey, ToolKeyRecord, ToolSigner } from './types';

export const DEFAULT_KEY_OVERLAP_MS = 2 * 24 * 3600 * 1000;

const defaultRandom: RandomBytes = (n) => crypto.randomBytes(n);

/** A fresh RS256 2048-bit key pair with a random kid, as a `current` key unless told otherwise. */
export async function generateToolKey(
  now: number,
  opts: { state?: ToolKeyRecord['state']; random?: RandomBytes } = {},
): Promise<ToolKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const kid = Buffer.from((opts.random ?? defaultRandom)(16)).toString('base64url');
  const state = opts.state ?? 'current';
  return {
    kid,
    alg: 'RS256',
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
    state,
    createdAt: now,
    activateAfter: null,
    activatedAt: state === 'current' ? now : null,
    retireAfter: null,
    retiredAt: null,
  };
}

/** Only the public members, whatever the stored JWK carries. */
function publicOnly(jwk: JWK, kid: string): JWK {
  const { kty, n, e, crv, x, y } = jwk;
  const out: Record<string, string | undefined> = { kty, kid, alg: 'RS256', use: 'sig', n, e, crv, x, y };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as JWK;
}

/**
 * The tool's key set, a state machine over a KeyStore: rotate() adds a `next` key, published at once;
 * after the overlap it becomes `current` (signing) and the old one `previous`, still published for
 * another overlap before it is `retired`. So every signature is made by a key that verifiers could
 * have fetched for at least the overlap (Moodle caches our JWKS and refetches only on failure).
 */
export class ToolKeySet implements ToolSigner {
  private readonly store: KeyStore;
  private readonly overlapMs: number;
  private readonly random: RandomBytes;
  private readonly imported = new Map<string, KeyLike>();

  constructor(opts: { store: KeyStore; overlapMs?: number; random?: RandomBytes }) {
    this.store = opts.store;
    this.overlapMs = opts.overlapMs ?? DEFAULT_KEY_OVERLAP_MS;
    this.random = opts.random ?? defaultRandom;
  }

  /** First start: create a current key if none signs yet. Returns the signing key's kid. */
  async ensureKey(now: number): Promise<string> {
    await this.tick(now);
    const keys = await this.live();
    const current = keys.find((k) => k.state === 'current');
    if (current) return current.kid;
    // A `next` key exists but no current (e.g. a crash mid-rotation): never leave zero signing keys.
    const next = keys.find((k) => k.state === 'next');
    if (next) {
      await this.store.update(next.kid, { state: 'current', activatedAt: now });
      return next.kid;
    }
    const key = await generateToolKey(now, { random: this.random });
    await this.store.insert(key);
    return key.kid;
  }

  /** Introduce a `next` key (published now, signing after overlapMs). Idempotent while one is pending. */
  async rotate(now: number, overlapMs: number = this.overlapMs): Promise<ToolKeyRecord> {
    await this.ensureKey(now);
    const pending = (await this.live()).find((k) => k.state === 'next');
    if (pending) return pending;
    const key = await generateToolKey(now, { state: 'next', random: this.random });
    key.activateAfter = now + overlapMs;
    await this.store.insert(key);
    return key;
  }

  /** Apply due transitions: next → current (old current → previous), previous → retired. */
  async tick(now: number): Promise<void> {
    const keys = await this.live();
    const dueNext = keys
      .filter((k) => k.state === 'next' && k.activateAfter !== null && k.activateAfter <= now)
      .sort((a, b) => (a.activateAfter ?? 0) - (b.activateAfter ?? 0))
      .pop();
    if (dueNext) {
      // The old key stays published as long as the new one was published before signing.
      const overlap = (dueNext.activateAfter ?? now) - dueNext.createdAt;
      for (const k of keys.filter((k) => k.state === 'current')) {
        await this.store.update(k.kid, { state: 'previous', retireAfter: now + overlap });
        k.state = 'previous';
        k.retireAfter = now + overlap;
      }
      await this.store.update(dueNext.kid, { state: 'current', activatedAt: now });
      dueNext.state = 'current';
    }
    for (const k of keys) {
      if (k.state === 'previous' && k.retireAfter !== null && k.retireAfter <= now) {
        await this.store.update(k.kid, { state: 'retired', retiredAt: now });
        this.imported.delete(k.kid);
      }
    }
  }

  /** Next, current and previous public keys: what /.well-known/jwks.json serves. */
  async publicJwks(now: number): Promise<Jwks> {
    await this.tick(now);
    const order = { next: 0, current: 1, previous: 2, retired: 3 } as const;
    const keys = (await this.live()).sort((a, b) => order[a.state] - order[b.state]);
    return { keys: keys.map((k) => publicOnly(k.publicJwk, k.kid)) };
  }

  async signingKey(now: number): Promise<SigningKey> {
    const kid = await this.ensureKey(now);
    let privateKey = this.imported.get(kid);
    if (!privateKey) {
      const record = (await this.live()).find((k) => k.kid === kid);
      if (!record) throw new Error(`tool key ${kid} vanished from the key store`);
      privateKey = (await importJWK(record.privateJwk, 'RS256')) as KeyLike;
      this.imported.set(kid, privateKey);
    }
    return { kid, alg: 'RS256', privateKey };
  }

  private async live(): Promise<ToolKeyRecord[]> {
    return (await this.store.list()).filter((k) => k.state !== 'retired');
  }
}

/** A KeyStore in memory: for tests, simulations and single-process tools without a database. */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, ToolKeyRecord>();

  async list(): Promise<ToolKeyRecord[]> {
    return [...this.keys.values()].map((k) => ({ ...k }));
  }
  async insert(key: ToolKeyRecord): Promise<void> {
    if (this.keys.has(key.kid)) throw new Error(`duplicate kid ${key.kid}`);
    this.keys.set(key.kid, { ...key });
  }
  async update(kid: string, changes: Partial<ToolKeyRecord>): Promise<void> {
    const key = this.keys.get(kid);
    if (key) this.keys.set(kid, { ...key, ...changes });
  }
}
