import fs from 'node:fs';
import path from 'node:path';
import { loadGenerators } from '../../../scripts/attachments/lib/registry';
import { checkContent } from '../../../src/content';
import { CONTENT_DIR, PROJECT_ROOT } from '../../../src/paths';

const generated = loadGenerators(path.join(PROJECT_ROOT, 'scripts/attachments'));

describe('generated attachments', () => {
  it.each(generated.map((a) => [a.file, a] as const))(
    '%s is committed exactly as its generator builds it',
    async (file, attachment) => {
      const committed = path.join(CONTENT_DIR, 'attachments', file);
      expect(fs.existsSync(committed)).toBe(true);
      const built = Buffer.from(await attachment.build());
      // Comparing lengths first gives a readable failure; bytes next.
      expect(built.length).toBe(fs.statSync(committed).size);
      expect(Buffer.compare(built, fs.readFileSync(committed))).toBe(0);
    },
  );

  it('are each used by a challenge or a module of the bank', () => {
    const { bank } = checkContent(CONTENT_DIR);
    const used = new Set<string>();
    for (const c of bank?.challenges.values() ?? []) {
      c.attachments?.forEach((a) => used.add(a.file));
      if (c.illustration) used.add(c.illustration.file);
    }
    for (const m of bank?.modules.values() ?? []) {
      JSON.stringify(m, (key, value: unknown) => {
        if (typeof value === 'string' && (key === 'file' || key === 'poster')) used.add(value);
        return value;
      });
    }
    expect(generated.map((a) => a.file).filter((f) => !used.has(f))).toEqual([]);
  });
});
