import type { Selector } from './context';

/**
 * The teacher's sequence, in order. Challenges the learner cannot take (another locale or audience,
 * or gone from the bank) are skipped rather than failing the whole sequence.
 */
export const fixedSequence: Selector = (context) => {
  const { bank, config } = context.assessment;
  for (const id of config.sequence ?? []) {
    if (context.used.has(id)) continue;
    const challenge = bank.challenges.get(id);
    if (!challenge || !challenge.locales.includes(config.locale)) continue;
    if (config.audience && !challenge.audiences.includes(config.audience)) continue;
    return challenge;
  }
  return undefined;
};
