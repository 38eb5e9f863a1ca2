import { buildClassView, levelsOf } from '../../../src/dashboard/class-view';
import { distributionChart } from '../../../src/dashboard/chart';
import { toRosterMember } from '../../../src/roster';
import type { ClassAttempt } from '../../../src/dashboard/class-view';

const member = (sub: string, roles: string[], name: string | null = null) =>
  toRosterMember({
    userSub: sub,
    roles,
    status: 'Active',
    name,
    givenName: null,
    familyName: null,
    email: null,
    fetchedAt: 0,
  });

const progress = (levels: Record<string, number>) =>
  JSON.stringify({
    done: {
      s1: {
        kind: 'assessment',
        result: {
          competences: Object.entries(levels).map(([competenceId, level]) => ({
            competenceId,
            level,
            pix: level * 8,
          })),
        },
      },
    },
  });

const attempt = (
  sub: string,
  status: 'started' | 'completed',
  levels: Record<string, number>,
  pix?: number,
): ClassAttempt => ({
  id: `a-${sub}`,
  userSub: sub,
  number: 1,
  status,
  levels: levelsOf(progress(levels)),
  result: status === 'completed' ? JSON.stringify({ pix, maxPix: 32, masteryPercent: 50 }) : null,
  startedAt: 1,
  updatedAt: 2,
  completedAt: status === 'completed' ? 2 : null,
  answered: 3,
  timeSpentMs: 90_000,
});

describe('class dashboard model', () => {
  const view = buildClassView({
    grading: 'pix',
    competences: ['1.1', '1.2'],
    maxLevel: 2,
    members: [
      member('t', ['Instructor'], 'Prof'),
      member('a', ['Learner'], 'Alice'),
      member('b', ['Learner'], 'Bob'),
      member('c', ['Learner'], 'Chloé'),
    ],
    attempts: [attempt('a', 'completed', { '1.1': 2, '1.2': 1 }, 24), attempt('b', 'started', { '1.1': 0 })],
    deliveries: new Map([['a', { status: 'delivered' as const, lastError: null, at: 2, deliveredAt: 3 }]]),
    names: new Map(),
  });

  it('lists learners only, with their status, score and levels', () => {
    expect(view.rows.map((r) => [r.name, r.status, r.score])).toEqual([
      ['Alice', 'completed', 24],
      ['Bob', 'in_progress', null],
      ['Chloé', 'not_started', null],
    ]);
    expect(view.rows[0]!.levels).toEqual({ '1.1': 2, '1.2': 1 });
    expect(view.rows[2]!.levels).toEqual({ '1.1': null, '1.2': null });
    expect(view.rows[0]!.delivery?.status).toBe('delivered');
    expect(view.totals).toEqual({ not_started: 1, in_progress: 1, completed: 1 });
  });

  it('counts learners per level and competence, leaving out those not assessed', () => {
    expect(view.distribution).toEqual([
      { competenceId: '1.1', counts: [1, 0, 1], assessed: 2, meanLevel: 1 },
      { competenceId: '1.2', counts: [0, 1, 0], assessed: 1, meanLevel: 1 },
    ]);
  });

  it('draws bars proportional to the counts', () => {
    const chart = distributionChart(view.distribution[0]!);
    expect(chart.bars.map((b) => b.count)).toEqual([1, 0, 1]);
    expect(chart.bars[0]!.height).toBe(chart.bars[2]!.height);
    expect(chart.bars[1]!.height).toBe(0);
  });

  it('keeps the best level when two steps assess one competence, and ignores unreadable progress', () => {
    const two = JSON.stringify({
      done: {
        s1: { result: { competences: [{ competenceId: '1.1', level: 1 }] } },
        s2: { result: { competences: [{ competenceId: '1.1', level: 3 }] } },
      },
    });
    expect(levelsOf(two).get('1.1')).toBe(3);
    expect(levelsOf('{not json').size).toBe(0);
  });
});
