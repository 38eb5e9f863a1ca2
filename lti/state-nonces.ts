import crypto from 'node:crypto';
import type { NonceConsumeResult, NonceStore } from './types';

/** The nonce a tool stored with the login's state, as read back when the launch took that state. */
export interface IssuedNonce {
  platformId: string;
  nonce: string;
  expiresAt: number;
}

/**
 * A NonceStore for tools that keep the nonce in the login's state record instead of a store of its
 * own: the login saves nothing (initiateLogin without `nonces`, the caller stores `nonce` with the
 * state), and the launch, having taken that state once and atomically, checks the id_token's nonce
 * against the one the state carries. One-time use follows from the state being taken once: a
 * replayed id_token needs another login, whose state carries another nonce.
 *
 * Build one per launch. `wasUsed` (optional) tells a replay from a forgery for the logs: it answers
 * whether the nonce belonged to a state already taken.
 */
export class StateBoundNonceStore implements NonceStore {
  private consumed = false;

  constructor(
    private readonly issued: IssuedNonce,
    private readonly wasUsed?: (platformId: string, nonce: string) => Promise<boolean>,
  ) {}

  /** Nothing to do: the state record already holds the nonce. */
  async save(): Promise<void> {}

  async consume(platformId: string, nonce: string, now: number): Promise<NonceConsumeResult> {
    if (
      platformId === this.issued.platformId &&
      now < this.issued.expiresAt &&
      sameNonce(nonce, this.issued.nonce)
    ) {
      if (this.consumed) return 'replayed';
      this.consumed = true;
      return 'ok';
    }
    return (await this.wasUsed?.(platformId, nonce)) ? 'replayed' : 'unknown';
  }
}

function sameNonce(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
