import crypto from 'node:crypto';

/**
 * Outbox ids sort by creation time (then randomly within a millisecond): the outbox breaks ties
 * between rows of one coalesce key created in the same millisecond by id.
 */
export function outboxId(now: number, randomBytes: (n: number) => Uint8Array = crypto.randomBytes): string {
  const time = Math.max(0, Math.floor(now)).toString(36).padStart(10, '0');
  return `${time}-${Buffer.from(randomBytes(8)).toString('hex')}`;
}
