import crypto from 'node:crypto';
import type { LearningRandom } from './deps';

// No 0/O, 1/I/L: a code read aloud or typed from paper stays unambiguous.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Verification code XXXX-XXXX-XXXX from random bytes (31^12 ≈ 8e17 codes). */
export function codeFromBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 12; i++) {
    out += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
    if (i === 3 || i === 7) out += '-';
  }
  return out;
}

/** Production randomness: node's CSPRNG. */
export function cryptoLearningRandom(): LearningRandom {
  return {
    seed: () => crypto.randomBytes(4).readUInt32BE(0),
    id: () => crypto.randomUUID(),
    code: () => codeFromBytes(crypto.randomBytes(12)),
  };
}

export const ATTESTATION_CODE_PATTERN = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;
