import crypto from 'node:crypto';
import { CompactSign, generateKeyPair, type KeyLike } from 'jose';
import { verifyCompactSignature } from '../../../lti/signature';
import { StateBoundNonceStore } from '../../../lti';

const payload = new TextEncoder().encode(JSON.stringify({ sub: 'u1', nonce: 'n' }));

async function sign(alg: string, key: KeyLike, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactSign(payload).setProtectedHeader({ alg, kid: 'k', ...header }).sign(key);
}

describe('verifyCompactSignature (one synchronous check per launch)', () => {
  it.each(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384'])(
    'accepts a genuine %s signature and refuses a tampered payload or another key',
    async (alg) => {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const other = await generateKeyPair(alg);
      const token = await sign(alg, privateKey);
      expect(verifyCompactSignature(token, alg, publicKey)).toBe(true);
      expect(verifyCompactSignature(token, alg, other.publicKey)).toBe(false);
      const [h, , s] = token.split('.');
      const forged = `${h}.${Buffer.from('{"sub":"admin","nonce":"n"}').toString('base64url')}.${s}`;
      expect(verifyCompactSignature(forged, alg, publicKey)).toBe(false);
    },
  );

  it('refuses a key that does not suit the algorithm', async () => {
    const rsa = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    const es384 = await generateKeyPair('ES384');
    const rsToken = await sign('RS256', rsa.privateKey);
    // Same bytes checked as another algorithm, or with a key of another type or curve.
    expect(verifyCompactSignature(rsToken, 'PS256', rsa.publicKey)).toBe(false);
    expect(verifyCompactSignature(rsToken, 'RS256', ec.publicKey)).toBe(false);
    const esToken = await sign('ES256', ec.privateKey);
    expect(verifyCompactSignature(esToken, 'ES384', es384.publicKey)).toBe(false);
    expect(verifyCompactSignature(esToken, 'RS256', rsa.publicKey)).toBe(false);
    // A private key, a secret or anything else is not a verification key.
    expect(verifyCompactSignature(rsToken, 'RS256', rsa.privateKey)).toBe(false);
    expect(verifyCompactSignature(rsToken, 'RS256', new Uint8Array(32))).toBe(false);
    expect(verifyCompactSignature(rsToken, 'HS256', rsa.publicKey)).toBe(false);
    expect(verifyCompactSignature(rsToken, 'none', rsa.publicKey)).toBe(false);
  });

  it('refuses RSA keys shorter than 2048 bits', async () => {
    const weak = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    const token = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'RS256' })
      .sign(weak.privateKey)
      .catch(() => {
        // jose itself refuses to sign with it: build the signature by hand.
        const input = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
        return `${input}.${crypto.sign('sha256', Buffer.from(input), weak.privateKey).toString('base64url')}`;
      });
    expect(verifyCompactSignature(token, 'RS256', weak.publicKey)).toBe(false);
  });

  it('refuses a token without a signature part', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const token = await sign('RS256', privateKey);
    expect(verifyCompactSignature(token.slice(0, token.lastIndexOf('.') + 1), 'RS256', publicKey)).toBe(
      false,
    );
    expect(verifyCompactSignature('abc', 'RS256', publicKey)).toBe(false);
  });
});

describe('StateBoundNonceStore (the nonce kept in the login state row)', () => {
  const issued = { platformId: 'p1', nonce: 'nonce-of-this-login', expiresAt: 2_000 };

  it('saves nothing and accepts the nonce of the taken state once', async () => {
    const store = new StateBoundNonceStore(issued);
    await store.save();
    expect(await store.consume('p1', 'nonce-of-this-login', 1_000)).toBe('ok');
    expect(await store.consume('p1', 'nonce-of-this-login', 1_000)).toBe('replayed');
  });

  it('refuses another nonce, another platform and an expired state as unknown', async () => {
    expect(await new StateBoundNonceStore(issued).consume('p1', 'another', 1_000)).toBe('unknown');
    expect(await new StateBoundNonceStore(issued).consume('p2', 'nonce-of-this-login', 1_000)).toBe(
      'unknown',
    );
    expect(await new StateBoundNonceStore(issued).consume('p1', 'nonce-of-this-login', 2_000)).toBe(
      'unknown',
    );
  });

  it('reports a nonce of an already used state as replayed when told how to recognise one', async () => {
    const used = new Set(['p1\u0000old-nonce']);
    const store = new StateBoundNonceStore(issued, async (p, n) => used.has(`${p}\u0000${n}`));
    expect(await store.consume('p1', 'old-nonce', 1_000)).toBe('replayed');
    expect(await store.consume('p1', 'forged', 1_000)).toBe('unknown');
    expect(await store.consume('p1', 'nonce-of-this-login', 1_000)).toBe('ok');
  });
});
