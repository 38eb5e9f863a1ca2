import path from 'node:path';
import { PROJECT_ROOT } from '../../../src/paths';
import { loadContent, toLearnerChallenge, toLearnerElement, type ModuleElement } from '../../../src/content';

const bank = loadContent(path.join(PROJECT_ROOT, 'test/fixtures/content/valid'));
const elements = new Map<string, ModuleElement>(
  bank.modules
    .get('bases')!
    .sections.flatMap((s) => s.grains.flatMap((g) => g.elements))
    .map((e) => [e.id, e]),
);

describe('toLearnerChallenge', () => {
  it('gives a QCU its localized question, proposals and illustration, nothing else', () => {
    expect(toLearnerChallenge(bank.challenges.get('mr1-qcu')!, 'en')).toEqual({
      id: 'mr1-qcu',
      type: 'QCU',
      instruction: 'Where do you type keywords?',
      proposals: [
        { id: 'a', text: 'In the search box' },
        { id: 'b', text: 'In the tab' },
      ],
      illustration: { file: 'media/page.svg', alt: 'A page' },
    });
  });

  it('gives a QROC its fields and attachments, without solution, wrong answers or generator', () => {
    expect(toLearnerChallenge(bank.challenges.get('mr2-qroc')!, 'fr')).toEqual({
      id: 'mr2-qroc',
      type: 'QROC',
      instruction: 'Combien de résultats ?',
      fields: [{ id: 'n', label: 'Résultats', kind: 'number' }],
      attachments: [{ file: 'media/resultats.csv', label: 'Les résultats' }],
    });
  });
});

describe('toLearnerElement', () => {
  const view = (id: string) => JSON.stringify(toLearnerElement(elements.get(id)!, 'fr'));

  it('keeps teaching content: text and flashcards with their backs', () => {
    expect(toLearnerElement(elements.get('e-flash')!, 'fr')).toEqual({
      id: 'e-flash',
      type: 'flashcards',
      title: 'Cartes',
      cards: [
        { front: 'Recto 1', back: 'Verso 1' },
        { front: 'Recto 2', back: 'Verso 2' },
      ],
    });
    expect(toLearnerElement(elements.get('e-text')!, 'en')).toEqual({
      id: 'e-text',
      type: 'text',
      content: 'Hello.',
    });
  });

  it('gives a sorter its two categories and its cards, not where each card goes nor feedback', () => {
    expect(toLearnerElement(elements.get('e-sorter')!, 'fr')).toEqual({
      id: 'e-sorter',
      type: 'sorter',
      instruction: 'Triez.',
      categories: [
        { id: 'vrai', label: 'Vrai' },
        { id: 'faux', label: 'Faux' },
      ],
      cards: [
        { id: 'c1', text: 'Un' },
        { id: 'c2', text: 'Deux' },
        { id: 'c3', text: 'Trois' },
      ],
    });
  });

  it('drops solutions and every feedback from qcu, qcm and qrocm', () => {
    expect(toLearnerElement(elements.get('e-qcm')!, 'fr')).toEqual({
      id: 'e-qcm',
      type: 'qcm',
      instruction: 'Cochez.',
      proposals: [
        { id: 'p1', text: 'A' },
        { id: 'p2', text: 'B' },
        { id: 'p3', text: 'C' },
      ],
    });
    expect(view('e-qcu')).not.toMatch(/FEEDBACK|solution/);
    expect(toLearnerElement(elements.get('e-qrocm')!, 'fr')).toEqual({
      id: 'e-qrocm',
      type: 'qrocm',
      instruction: 'Complétez.',
      fields: [{ id: 'f1', label: 'Âge', kind: 'number' }],
    });
  });

  it('gives media elements their files and texts', () => {
    expect(toLearnerElement(elements.get('e-video')!, 'en')).toEqual({
      id: 'e-video',
      type: 'video',
      file: 'media/clip.mp4',
      title: 'Clip',
      captions: { fr: 'media/clip.fr.vtt', en: 'media/clip.en.vtt' },
      transcript: 'A clip is shown.',
    });
  });
});
