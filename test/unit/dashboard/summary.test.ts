import { levelsOf } from '../../../src/dashboard/class-view';
import { resolveLevels, summaryLevels, summaryText } from '../../../src/dashboard/summary';
import type { DashboardAttempt } from '../../../src/db/repositories/dashboard';

const row = (id: string, summary: string | null, progress: string | null): DashboardAttempt => ({
  id,
  userSub: id,
  number: 1,
  status: 'started',
  summary,
  progress,
  result: null,
  startedAt: 1,
  updatedAt: 5,
  completedAt: null,
  answered: 0,
  timeSpentMs: 0,
});

const progress = JSON.stringify({
  done: { s1: { result: { competences: [{ competenceId: '2.1', level: 3 }] } } },
});

describe('attempt level summaries', () => {
  it('round-trips levels through their stored text', () => {
    const levels = levelsOf(progress);
    expect(summaryLevels(summaryText(levels))).toEqual(levels);
    expect(summaryText(new Map())).toBe('{}');
  });

  it('refuses a summary that is not a map of numbers', () => {
    expect(summaryLevels('{"1.1":"high"}')).toBeUndefined();
    expect(summaryLevels('[1]')).toBeUndefined();
    expect(summaryLevels('{oops')).toBeUndefined();
  });

  it('uses current summaries as they are and summarises the others from their progress', () => {
    const { levels, stale } = resolveLevels([
      row('fresh', '{"1.1":2}', null),
      row('old', null, progress),
      row('empty', null, null),
    ]);
    expect(levels.get('fresh')).toEqual(new Map([['1.1', 2]]));
    expect(levels.get('old')).toEqual(new Map([['2.1', 3]]));
    expect(levels.get('empty')).toEqual(new Map());
    expect(stale).toEqual([
      { attemptId: 'old', updatedAt: 5, levels: '{"2.1":3}' },
      { attemptId: 'empty', updatedAt: 5, levels: '{}' },
    ]);
  });
});
