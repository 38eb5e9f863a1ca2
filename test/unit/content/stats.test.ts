import path from 'node:path';
import { loadContent } from '../../../src/content';
import { contentStats, formatStats } from '../../../src/content/stats';
import { PROJECT_ROOT } from '../../../src/paths';

const bank = loadContent(path.join(PROJECT_ROOT, 'test/fixtures/content/valid'));

describe('contentStats', () => {
  const stats = contentStats(bank);

  it('counts the bank', () => {
    expect(stats).toEqual({
      competences: 1,
      tubes: 2,
      skills: 3,
      challenges: 5,
      byCompetence: { '1.1': { challenges: 5, byLevel: { '1': 1, '2': 2, '3': 2 } } },
      byType: { QCU: 1, QCM: 1, QROC: 1, 'QROCM-ind': 1, 'QROCM-dep': 1 },
      modules: [{ id: 'bases', title: 'Les bases', minutes: 5, interactiveElements: 5 }],
      parcours: 1,
      // sf3-ind is French only.
      locales: ['fr'],
    });
  });

  it('prints a table with a summary line', () => {
    const text = formatStats(stats);
    expect(text.split('\n')[0]).toBe(
      '1 competences with content, 2 tubes, 3 skills, 5 challenges, 1 modules, 1 parcours; complete in: fr',
    );
    expect(text).toMatch(/^1\.1\s+5\s+1\s+2\s+2$/m);
  });
});
