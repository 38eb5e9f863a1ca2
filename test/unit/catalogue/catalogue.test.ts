import { contentItemsFor, filterCatalogue, SelectionError, selectionFromForm } from '../../../src/catalogue';
import { createCatalogueIndex } from '../../../src/catalogue/index-cache';
import { loadContent } from '../../../src/content/load';
import type { DeepLinkingSettings } from '../../../lti';

jest.setTimeout(60_000);
const index = createCatalogueIndex(loadContent());
const settings = (over: Partial<DeepLinkingSettings> = {}): DeepLinkingSettings => ({
  deep_link_return_url: 'https://lms.example/return',
  accept_types: ['ltiResourceLink'],
  accept_presentation_document_targets: ['iframe', 'window'],
  accept_multiple: true,
  ...over,
});
const opts = { launchUrl: 'https://tool.example/lti/launch', locale: 'fr' as const };

describe('deep-linking catalogue', () => {
  const { entries, byValue } = index();

  it('holds every parcours and module of the bank, each kind represented', () => {
    expect(entries.filter((e) => e.activity.kind === 'parcours')).toHaveLength(12);
    expect(entries.filter((e) => e.activity.kind === 'module')).toHaveLength(12);
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['assessment', 'module', 'parents']));
  });

  it('offers pix only where there is an assessment, with the target profile maximum', () => {
    const rentree = byValue.get('parcours:rentree-6e')!;
    expect(rentree.gradings).toEqual(['pix', 'mastery', 'completion']);
    expect(rentree.maxPix).toBeGreaterThan(0);
    expect(byValue.get('module:mots-de-passe-solides')!.gradings).toEqual(['mastery', 'completion']);
  });

  it('filters by audience, competence, kind and duration, and searches without accents', () => {
    const parents = filterCatalogue(entries, { audience: 'parents' }, 'fr');
    expect(parents.length).toBeGreaterThan(0);
    expect(parents.every((e) => e.audiences.includes('parents'))).toBe(true);
    expect(filterCatalogue(entries, { competence: '4.1' }, 'fr').map((e) => e.value)).toEqual(
      expect.arrayContaining(['module:mots-de-passe-solides', 'module:reconnaitre-hameconnage']),
    );
    expect(
      filterCatalogue(entries, { kind: 'module', duration: 'short' }, 'fr').every((e) => e.minutes <= 10),
    ).toBe(true);
    expect(filterCatalogue(entries, { q: 'hameconnage' }, 'fr').map((e) => e.value)).toContain(
      'module:reconnaitre-hameconnage',
    );
    expect(filterCatalogue(entries, { q: 'zzzz-nothing' }, 'fr')).toEqual([]);
  });

  it('builds resource links with activity and grading in custom and a line item with the column maximum', () => {
    const items = contentItemsFor(
      settings(),
      byValue,
      [
        { value: 'parcours:rentree-6e', grading: 'pix' },
        { value: 'module:mots-de-passe-solides', grading: 'mastery' },
      ],
      opts,
    );
    expect(items[0]).toMatchObject({
      type: 'ltiResourceLink',
      url: opts.launchUrl,
      custom: { activity: 'parcours:rentree-6e', grading: 'pix' },
      lineItem: {
        scoreMaximum: byValue.get('parcours:rentree-6e')!.maxPix,
        resourceId: 'parcours:rentree-6e',
      },
    });
    expect(items[1]!.lineItem!.scoreMaximum).toBe(100);
  });

  it('honours accept_multiple, accept_types and accept_lineitem', () => {
    const two = [
      { value: 'parcours:rentree-6e', grading: 'mastery' as const },
      { value: 'module:mots-de-passe-solides', grading: 'completion' as const },
    ];
    expect(() => contentItemsFor(settings({ accept_multiple: false }), byValue, two, opts)).toThrow(
      SelectionError,
    );
    expect(() => contentItemsFor(settings({ accept_types: ['link'] }), byValue, two, opts)).toThrow(
      'links_refused',
    );
    const [item] = contentItemsFor(settings({ accept_lineitem: false }), byValue, two.slice(0, 1), opts);
    expect(item!.lineItem).toBeUndefined();
    expect(() =>
      contentItemsFor(settings(), byValue, [{ value: 'module:mots-de-passe-solides', grading: 'pix' }], opts),
    ).toThrow('grading_refused');
  });

  it('reads the form, defaulting the grading of an entry', () => {
    expect(
      selectionFromForm(
        {
          pick: ['parcours:rentree-6e', 'module:mots-de-passe-solides'],
          'grading.parcours:rentree-6e': 'pix',
        },
        byValue,
      ),
    ).toEqual([
      { value: 'parcours:rentree-6e', grading: 'pix' },
      { value: 'module:mots-de-passe-solides', grading: 'completion' },
    ]);
    expect(selectionFromForm({}, byValue)).toEqual([]);
  });
});
