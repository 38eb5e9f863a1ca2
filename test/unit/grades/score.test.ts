import { scoreSchema } from '../../../lti';
import { gradingFromCustom, scoreMaximumFor } from '../../../src/grades/grading';
import { scoreBody, scorePayloadFromEvent } from '../../../src/grades/score';
import type { AttemptEvent } from '../../../src/learning/events';

const at = Date.UTC(2026, 8, 1, 8, 30, 15, 42);
const event = (type: AttemptEvent['type'], result?: AttemptEvent['result']): AttemptEvent => ({
  type,
  attemptId: 'a1',
  placementId: 'p1',
  platformId: 'pf',
  userSub: 'u1',
  activity: { kind: 'parcours', id: 'rentree-6e' },
  at,
  progress: type === 'completed' ? 1 : 0.4,
  ...(result ? { result } : {}),
});
const done = { pix: 30, maxPix: 48, mastery: 0.4567, completed: true };

describe('AGS score of an attempt event', () => {
  it('started: Started / NotReady, no score, explicit maximum', () => {
    const body = scoreBody(scorePayloadFromEvent(event('started'), 'mastery', 100, at - 5), at);
    expect(body).toMatchObject({
      activityProgress: 'Started',
      gradingProgress: 'NotReady',
      scoreMaximum: 100,
    });
    expect(body.scoreGiven).toBeUndefined();
    expect(scoreSchema.safeParse(body).success).toBe(true);
  });

  it('progressed: InProgress / Pending, no score', () => {
    const body = scoreBody(scorePayloadFromEvent(event('progressed', done), 'pix', 48, undefined), at);
    expect(body).toMatchObject({ activityProgress: 'InProgress', gradingProgress: 'Pending' });
    expect(body.scoreGiven).toBeUndefined();
  });

  it.each([
    ['pix', 48, 30],
    ['mastery', 100, 45.67],
    ['completion', 1, 1],
  ] as const)('completed, graded by %s: Completed / FullyGraded, %d max, %d given', (grading, max, given) => {
    const body = scoreBody(scorePayloadFromEvent(event('completed', done), grading, max, at - 60_000), at);
    expect(body).toMatchObject({
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      scoreGiven: given,
      scoreMaximum: max,
      submission: { startedAt: new Date(at - 60_000).toISOString(), submittedAt: new Date(at).toISOString() },
    });
    expect(scoreSchema.safeParse(body).success).toBe(true);
  });

  it('stamps ISO 8601 with milliseconds', () => {
    expect(scoreBody(scorePayloadFromEvent(event('started'), 'mastery', 100, undefined), at).timestamp).toBe(
      '2026-09-01T08:30:15.042Z',
    );
  });

  it('never gives more than the maximum', () => {
    const p = scorePayloadFromEvent(event('completed', { ...done, pix: 60 }), 'pix', 48, undefined);
    expect(p.scoreGiven).toBe(48);
  });

  it('reads the grading choice from custom parameters', () => {
    expect(gradingFromCustom({ grading: 'pix' })).toBe('pix');
    expect(gradingFromCustom({ grading: ' Mastery ' })).toBe('mastery');
    expect(gradingFromCustom({ grading: 'none' })).toBe('none');
    expect(gradingFromCustom({ grading: 'bonus' })).toBeUndefined();
    expect(gradingFromCustom(undefined)).toBeUndefined();
    expect([
      scoreMaximumFor('mastery', 48),
      scoreMaximumFor('completion', 48),
      scoreMaximumFor('pix', 48),
    ]).toEqual([100, 1, 48]);
  });
});
