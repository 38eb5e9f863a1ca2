import { loadContent } from '../../../../src/content';
import { challengeView, shuffled } from '../../../../src/web/learner/view-models';

const bank = loadContent();
const href = (p: string) => p;

describe('the challenge page view', () => {
  const choiceChallenges = [...bank.challenges.values()].filter((c) => c.type === 'QCU' || c.type === 'QCM');

  it('never carries a solution, an explanation or anticipated wrong answers', () => {
    for (const c of bank.challenges.values()) {
      for (const locale of c.locales) {
        const json = JSON.stringify(challengeView(c, locale, href, undefined, 'attempt-1'));
        expect(json).not.toContain(c.explanation[locale]);
        expect(json).not.toContain('"solution"');
        for (const w of c.wrongAnswers ?? [])
          for (const v of Object.values(w)) expect(json).not.toContain(`"${v}"`);
      }
    }
  });

  it('shows every proposal once, in an order that is stable for one attempt', () => {
    for (const c of choiceChallenges) {
      const a = challengeView(c, 'fr', href, undefined, 'attempt-1').proposals.map((p) => p.id);
      expect([...a].sort()).toEqual(
        c.type === 'QCU' || c.type === 'QCM' ? c.proposals.map((p) => p.id).sort() : [],
      );
      expect(challengeView(c, 'fr', href, undefined, 'attempt-1').proposals.map((p) => p.id)).toEqual(a);
    }
  });

  it('does not leave proposals in file order: across attempts, the right answer moves', () => {
    const c = choiceChallenges[0]!;
    const firstIds = new Set(
      Array.from(
        { length: 40 },
        (_, i) => challengeView(c, 'fr', href, undefined, `attempt-${i}`).proposals[0]!.id,
      ),
    );
    expect(firstIds.size).toBeGreaterThan(1);
  });

  it('keeps the file order when the challenge says the order means something', () => {
    const c = { ...choiceChallenges[0]!, keepOrder: true };
    const ids = challengeView(c, 'fr', href, undefined, 'attempt-7').proposals.map((p) => p.id);
    expect(ids).toEqual(c.type === 'QCU' || c.type === 'QCM' ? c.proposals.map((p) => p.id) : []);
  });

  it('shuffles deterministically from the seed alone', () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
    expect(shuffled(items, 's1')).toEqual(shuffled(items, 's1'));
    expect(
      shuffled(items, 's1')
        .map((i) => i.id)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
