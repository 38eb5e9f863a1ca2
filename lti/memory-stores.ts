import type { NonceConsumeResult, NonceStore } from './types';

export { MemoryKeyStore } from './keys';

/** A NonceStore in memory: for tests and simulations (a real tool shares nonces through its database). */
export class MemoryNonceStore implements NonceStore {
  private readonly nonces = new Map<string, { expiresAt: number; used: boolean }>();

  async save(platformId: string, nonce: string, expiresAt: number): Promise<void> {
    this.nonces.set(`${platformId}\u0000${nonce}`, { expiresAt, used: false });
  }

  async consume(platformId: string, nonce: string, now: number): Promise<NonceConsumeResult> {
    const entry = this.nonces.get(`${platformId}\u0000${nonce}`);
    if (!entry || entry.expiresAt <= now) return 'unknown';
    if (entry.used) return 'replayed';
    entry.used = true;
    return 'ok';
  }
}
