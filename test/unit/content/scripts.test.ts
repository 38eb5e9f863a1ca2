import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../../../src/paths';

/** The npm scripts as an author runs them (ts-node, no build). */
const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });

describe('content scripts', () => {
  it('content:check prints each problem as file:line path: message and exits 1', () => {
    const result = run('scripts/content-check.ts', 'test/fixtures/content/broken');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'test/fixtures/content/broken/parcours/p.yaml:21 stages[1].threshold: stage thresholds must be ascending (10 then 5)\n',
    );
    expect(result.stderr).toMatch(/^\d+ content problem\(s\)$/m);
  });

  it('content:check prints a one-line summary with the version when all is well', () => {
    const result = run('scripts/content-check.ts', 'test/fixtures/content/valid');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^content OK: 6 competences, 2 tubes, 3 skills, 5 challenges, 1 modules, 1 parcours; version [0-9a-f]{64}\n$/,
    );
  });

  it('content:stats --json prints exactly one JSON object', () => {
    const result = run('scripts/content-stats.ts', '--json', 'test/fixtures/content/valid');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ challenges: 5, parcours: 1, locales: ['fr'] });
  });
});
