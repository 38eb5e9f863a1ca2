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

const LEVELS: number[] = [];
for (let level = SMART_RANDOM.levelMin; level <= SMART_RANDOM.levelMax; level += SMART_RANDOM.levelStep) {
  LEVELS.push(level);
}
/** successChance(candidate level, difficulty) for every candidate level, tabled for levels 0..8. */
const chancesOf = (difficulty: number) =>
  Float64Array.from(LEVELS, (level) => successChance(level, difficulty));
const CHANCES: readonly Float64Array[] = Array.from({ length: 9 }, (_, difficulty) => chancesOf(difficulty));
function chancesAt(difficulty: number): Float64Array {
  return CHANCES[difficulty] ?? chancesOf(difficulty);
}

/**
 * The predicted level is the candidate level whose expected score best matches the observed score
 * over direct answers, plus two virtual answers (an easy one right, a hard one wrong) that keep the
 * estimate finite after all-right or all-wrong starts. Answers are grouped by difficulty first: the
 * expected score is a sum over a handful of levels, not over every answer.
 */
export function predictLevel(answers: readonly ResolvedAnswer[]): number {
  let observed = 1;
  const counts = new Map<number, number>();
  for (const { challenge, correct } of answers) {
    if (correct) observed++;
    counts.set(challenge.level, (counts.get(challenge.level) ?? 0) + 1);
  }
  const expected = new Float64Array(LEVELS.length);
  const add = (difficulty: number, count: number) => {
    const chances = chancesAt(difficulty);
    for (let i = 0; i < LEVELS.length; i++) expected[i]! += count * chances[i]!;
  };
  add(SMART_RANDOM.sentinelRightDifficulty, 1);
  add(SMART_RANDOM.sentinelWrongDifficulty, 1);
  for (const [difficulty, count] of counts) add(difficulty, count);
  let best = 0;
  let bestGap = Infinity;
  for (let i = 0; i < LEVELS.length; i++) {
    const gap = Math.abs(observed - expected[i]!);
    if (gap < bestGap - 1e-12) {
      bestGap = gap;
      best = i;
    }
  }
  return LEVELS[best]!;
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
  const maxLevel = predicted + SMART_RANDOM.maxLevelsAbovePrediction;
  const levelIndex = LEVELS.indexOf(predicted);
  for (const tube of assessment.tubes) {
    const untested = tube.skills.filter((s) => !knowledge.has(s.id));
    for (let i = 0; i < untested.length; i++) {
      const skill = untested[i]!;
      if (skill.level > maxLevel) break;
      const fresh = freshChallenges(context, skill.id, false);
      if (fresh.length === 0) continue;
      const fitsTimer = !avoidTimed || fresh.some((c) => c.timer === undefined);
      const p = chancesAt(skill.level)[levelIndex]!;
      // Skills are ascending by level, one per level: counts of untested easier-or-equal and harder-or-equal.
      const easier = i + 1;
      const harder = untested.length - i;
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
