import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../src/paths';
import { checkContent, ContentError, formatProblem, loadContent } from '../../../src/content';

const FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures/content');

interface Expectation {
  file: string;
  line: number;
  message: string;
}

/**
 * The fixture files say what is wrong with them: a line ending in `# expect: a | b` (or
 * `<!-- expect: a -->` in SVG) must get one problem whose message contains each part.
 */
function expectationsIn(dir: string): Expectation[] {
  const out: Expectation[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const file = path.relative(PROJECT_ROOT, full).split(path.sep).join('/');
        fs.readFileSync(full, 'utf8')
          .split('\n')
          .forEach((text, i) => {
            const match = /(?:#|<!--)\s*expect:\s*(.+?)\s*(?:-->)?\s*$/.exec(text);
            for (const message of match?.[1]?.split(' | ') ?? []) out.push({ file, line: i + 1, message });
          });
      }
    }
  };
  walk(dir);
  return out;
}

describe.each(['broken', 'invalid'])('the %s fixture tree', (tree) => {
  const dir = path.join(FIXTURES, tree);
  const { problems, bank } = checkContent(dir);
  const expectations = expectationsIn(dir);
  const located = problems.filter((p) => p.line > 0);

  it('has no bank', () => {
    expect(bank).toBeUndefined();
  });

  it.each(expectations.map((e) => [`${e.file}:${e.line} ${e.message}`, e] as const))(
    'reports %s',
    (_, expectation) => {
      const onLine = located.filter((p) => p.file === expectation.file && p.line === expectation.line);
      expect(onLine.map((p) => p.message)).toEqual(
        expect.arrayContaining([expect.stringContaining(expectation.message)]),
      );
    },
  );

  it('reports nothing that is not expected', () => {
    const expected = new Set(expectations.map((e) => `${e.file}:${e.line}`));
    expect(located.filter((p) => !expected.has(`${p.file}:${p.line}`)).map(formatProblem)).toEqual([]);
    // As many problems as expectations: each marked line gets exactly what is marked.
    expect(located).toHaveLength(expectations.length);
  });
});

describe('whole-file problems', () => {
  it('reports a non-YAML file in a content folder with line 0', () => {
    const { problems } = checkContent(path.join(FIXTURES, 'invalid'));
    expect(problems.filter((p) => p.line === 0)).toEqual([
      {
        file: 'test/fixtures/content/invalid/modules/notes.txt',
        line: 0,
        path: '',
        message: 'content/modules/ holds only <id>.yaml files',
      },
    ]);
  });

  it('reports a missing framework and a missing directory', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'content-'));
    expect(checkContent(empty).problems.map((p) => p.message)).toEqual(['framework.yaml is missing']);
    expect(checkContent(path.join(empty, 'nope')).problems.map((p) => p.message)).toEqual([
      'content directory not found',
    ]);
  });
});

describe('loadContent', () => {
  it('throws a ContentError that lists every problem with file:line', () => {
    let error: unknown;
    try {
      loadContent(path.join(FIXTURES, 'broken'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContentError);
    const contentError = error as ContentError;
    expect(contentError.problems.length).toBe(checkContent(path.join(FIXTURES, 'broken')).problems.length);
    expect(contentError.message).toContain(
      'test/fixtures/content/broken/parcours/p.yaml:17 steps[0].sequence[1]: unknown challenge "personne"',
    );
  });
});

describe('the valid fixture tree', () => {
  const dir = path.join(FIXTURES, 'valid');
  const bank = loadContent(dir);

  it('loads without problems', () => {
    expect(checkContent(dir).problems).toEqual([]);
  });

  it('indexes competences with their domain and tubes, empty ones included', () => {
    expect(bank.competences.get('1.1')).toMatchObject({
      domainId: '1',
      tubeIds: ['moteurRecherche', 'sourcesFiables'],
    });
    expect(bank.competences.get('5.1')).toMatchObject({ domainId: '5', tubeIds: [] });
    expect([...bank.competences.keys()]).toEqual(['1.1', '1.2', '2.1', '3.1', '4.1', '5.1']);
  });

  it('names skills @<tube><level> and lists them by level', () => {
    expect([...bank.skills.keys()]).toEqual(['@moteurRecherche1', '@moteurRecherche2', '@sourcesFiables3']);
    expect(bank.tubes.get('moteurRecherche')!.skills.map((s) => s.level)).toEqual([1, 2]);
    expect(bank.skills.get('@moteurRecherche2')).toMatchObject({
      tubeId: 'moteurRecherche',
      competenceId: '1.1',
      level: 2,
      challengeIds: ['mr2-qcm', 'mr2-qroc'],
    });
  });

  it('places each challenge and gives it IRT defaults: discrimination 1, difficulty = level', () => {
    expect(bank.challenges.get('sf3-dep')).toMatchObject({
      skillId: '@sourcesFiables3',
      tubeId: 'sourcesFiables',
      competenceId: '1.1',
      level: 3,
      irt: { discrimination: 1, difficulty: 3 },
    });
  });

  it('applies schema defaults', () => {
    const challenge = bank.challenges.get('mr1-qcu')!;
    expect(challenge.tolerances).toEqual(['T1', 'T2', 'T3']);
    expect(challenge.locales).toEqual(['fr', 'en']);
    expect(bank.challenges.get('sf3-ind')!.locales).toEqual(['fr']);
    expect(bank.parcours.get('decouverte')!.algorithm).toBe('smart-random');
    expect(bank.modules.get('bases')!.collection).toBe('modules');
  });
});

describe('the content version', () => {
  const copy = (): string => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'content-'));
    fs.cpSync(path.join(FIXTURES, 'valid'), target, { recursive: true });
    return target;
  };

  it('is a sha256 that depends on the files, not on where the tree lives', () => {
    const original = loadContent(path.join(FIXTURES, 'valid')).version;
    expect(original).toMatch(/^[0-9a-f]{64}$/);
    expect(loadContent(copy()).version).toBe(original);
  });

  it('changes when any file changes, attachments included', () => {
    const original = loadContent(path.join(FIXTURES, 'valid')).version;
    const dir = copy();
    fs.appendFileSync(path.join(dir, 'attachments/media/resultats.csv'), '3;4\r\n');
    expect(loadContent(dir).version).not.toBe(original);
  });

  it('changes when a file is added or renamed, even with the same bytes', () => {
    const original = loadContent(path.join(FIXTURES, 'valid')).version;
    const dir = copy();
    fs.writeFileSync(path.join(dir, 'attachments/extra.txt'), 'x');
    const added = loadContent(dir).version;
    fs.renameSync(path.join(dir, 'attachments/extra.txt'), path.join(dir, 'attachments/autre.txt'));
    const renamed = loadContent(dir).version;
    expect(new Set([original, added, renamed]).size).toBe(3);
  });
});
