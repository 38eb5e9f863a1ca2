import type { SkillInfo } from '../../content/bank';
import { SMART_RANDOM } from '../constants';
import type { ResolvedAnswer } from '../knowledge';
import { pickOne } from '../random';
import {
  freshChallenges,
  lastWasTimed,
  pickChallenge,
  type SelectionContext,
  type Selector,
} from './context';

/** The level model of smart random: logistic in (level − difficulty), discrimination 1. */
function successChance(level: number, difficulty: number): number {
  return 1 / (1 + Math.exp(difficulty - level));
}

/**
 * The predicted level is the candidate level whose expected score best matches the observed score
 * over direct answers, plus two virtual answers (an easy one right, a hard one wrong) that keep the
 * estimate finite after all-right or all-wrong starts.
 */
export function predictLevel(answers: readonly ResolvedAnswer[]): number {
  let best: number = SMART_RANDOM.levelMin;
  let bestGap = Infinity;
  for (let level = SMART_RANDOM.levelMin; level <= SMART_RANDOM.levelMax; level += SMART_RANDOM.levelStep) {
    let gap =
      1 -
      successChance(level, SMART_RANDOM.sentinelRightDifficulty) -
      successChance(level, SMART_RANDOM.sentinelWrongDifficulty);
    for (const { challenge, correct } of answers)
      gap += (correct ? 1 : 0) - successChance(level, challenge.level);
    if (Math.abs(gap) < bestGap - 1e-12) {
      bestGap = Math.abs(gap);
      best = level;
    }
  }
  return best;
}

function firstChallenge(context: SelectionContext) {
  const { assessment } = context;
  const level = SMART_RANDOM.firstSkillLevel;
  const easy = assessment.tubes.filter(
    (t) => t.skills[t.skills.length - 1]!.level <= SMART_RANDOM.easyTubeMaxLevel,
  );
  for (const tubes of [easy, assessment.tubes]) {
    const skills = tubes
      .flatMap((t) => t.skills)
      .filter((s) => s.level === level && freshChallenges(context, s.id, true).length > 0);
    const skill = pickOne(context.random, skills);
    if (skill) return pickChallenge(context, skill.id, true);
  }
  return undefined;
}

/**
 * Smart random: among untested skills at most two levels above the predicted level, choose the one
 * whose outcome is expected to settle the most skills of its tube (right → the easier ones, wrong →
 * the harder ones). Stops when no such skill is left.
 */
export const smartRandom: Selector = (context) => {
  const { assessment, knowledge } = context;
  if (context.answers.length === 0) {
    const first = firstChallenge(context);
    if (first) return first;
  }
  const predicted = predictLevel(context.answers);
  const avoidTimed = lastWasTimed(context);
  let best: SkillInfo[] = [];
  let bestReward = 0;
  let bestFitsTimer = false;
  for (const tube of assessment.tubes) {
    const untested = tube.skills.filter((s) => !knowledge.has(s.id));
    for (const skill of untested) {
      if (skill.level > predicted + SMART_RANDOM.maxLevelsAbovePrediction) continue;
      const fresh = freshChallenges(context, skill.id, false);
      if (fresh.length === 0) continue;
      const fitsTimer = !avoidTimed || fresh.some((c) => c.timer === undefined);
      const p = successChance(predicted, skill.level);
      const easier = untested.filter((s) => s.level <= skill.level).length;
      const harder = untested.filter((s) => s.level >= skill.level).length;
      const reward = p * easier + (1 - p) * harder;
      if (reward <= 0) continue;
      // Respecting "no two timed in a row" outranks reward; reward ties are broken at random.
      const better =
        (fitsTimer && !bestFitsTimer) || (fitsTimer === bestFitsTimer && reward > bestReward + 1e-12);
      if (better) {
        best = [skill];
        bestReward = reward;
        bestFitsTimer = fitsTimer;
      } else if (fitsTimer === bestFitsTimer && Math.abs(reward - bestReward) <= 1e-12) {
        best.push(skill);
      }
    }
  }
  const skill = pickOne(context.random, best);
  return skill ? pickChallenge(context, skill.id, avoidTimed) : undefined;
};
