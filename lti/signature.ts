import crypto, { type KeyObject } from 'node:crypto';

/** How node:crypto verifies each allowed JWS algorithm. */
const PARAMS: Record<string, { hash: string; kind: 'rsa' | 'pss' | 'ec'; curve?: string }> = {
  RS256: { hash: 'sha256', kind: 'rsa' },
  RS384: { hash: 'sha384', kind: 'rsa' },
  RS512: { hash: 'sha512', kind: 'rsa' },
  PS256: { hash: 'sha256', kind: 'pss' },
  PS384: { hash: 'sha384', kind: 'pss' },
  PS512: { hash: 'sha512', kind: 'pss' },
  ES256: { hash: 'sha256', kind: 'ec', curve: 'prime256v1' },
  ES384: { hash: 'sha384', kind: 'ec', curve: 'secp384r1' },
};

function isKeyObject(key: unknown): key is KeyObject {
  return key instanceof crypto.KeyObject;
}

/**
 * Checks a compact JWS's signature in one synchronous call (about 0.05 ms for RS256 with a 2048-bit
 * key): the asynchronous path hands each check to the thread pool and back, which costs more CPU per
 * launch than the check itself. Refuses a key that does not suit `alg` (type, curve, RSA below 2048
 * bits). Returns false for any failure; the caller has already restricted `alg` to its allowed list.
 */
export function verifyCompactSignature(token: string, alg: string, key: unknown): boolean {
  const p = PARAMS[alg];
  if (!p || !isKeyObject(key) || key.type !== 'public') return false;
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (p.kind === 'ec') {
    if (type !== 'ec' || details.namedCurve !== p.curve) return false;
  } else {
    if (type !== 'rsa' && !(p.kind === 'pss' && type === 'rsa-pss')) return false;
    if ((details.modulusLength ?? 0) < 2048) return false;
  }
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return false;
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const data = Buffer.from(token.slice(0, dot), 'latin1');
  try {
    return crypto.verify(
      p.hash,
      data,
      p.kind === 'pss'
        ? {
            key,
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
          }
        : p.kind === 'ec'
          ? { key, dsaEncoding: 'ieee-p1363' }
          : key,
      signature,
    );
  } catch {
    return false;
  }
}
