import { pickOne } from '../random';
import type { Selector } from './context';

/** The control: any fresh challenge of a skill with no direct result yet, uniformly. */
export const plainRandom: Selector = (context) => {
  const fresh = context.assessment.candidates.filter(
    (c) => !context.used.has(c.id) && context.knowledge.get(c.skillId)?.source !== 'direct',
  );
  return pickOne(context.random, fresh);
};
