import { pickOne } from '../random';
import { lastWasTimed, type Selector } from './context';

/**
 * The control: any fresh challenge of a skill with no direct result yet, uniformly, with the one rule
 * every algorithm keeps for the learner's sake: no two timed challenges in a row when avoidable.
 */
export const plainRandom: Selector = (context) => {
  const fresh = context.assessment.candidates.filter(
    (c) => !context.used.has(c.id) && context.knowledge.get(c.skillId)?.source !== 'direct',
  );
  const untimed = lastWasTimed(context) ? fresh.filter((c) => c.timer === undefined) : [];
  return pickOne(context.random, untimed.length > 0 ? untimed : fresh);
};
