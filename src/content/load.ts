import fs from 'node:fs';
import path from 'node:path';
import { CONTENT_DIR, PROJECT_ROOT } from '../paths';
import type { ContentBank } from './bank';
import { buildBank } from './build-bank';
import { crossCheck, type Parsed, type ParsedContent } from './cross-checks';
import { ContentError, type ContentProblem, sortProblems } from './problems';
import { competenceFileSchema, frameworkSchema, moduleSchema, parcoursSchema } from './schema';
import { svgProblems } from './svg-safety';
import { contentVersion } from './version';
import { YamlSource } from './yaml-source';
import type { z } from 'zod';

/** Every file under `dir`, as "/"-separated paths relative to it, sorted. */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

const FOLDERS = ['competences', 'modules', 'parcours'] as const;

/**
 * Reads and checks content/ (synchronously: it runs once at start-up and in scripts). The bank is
 * returned only when there is no problem at all.
 */
export function checkContent(dir: string = CONTENT_DIR): { problems: ContentProblem[]; bank?: ContentBank } {
  const problems: ContentProblem[] = [];
  const repoPath = (relative: string) =>
    path.relative(PROJECT_ROOT, path.join(dir, relative)).split(path.sep).join('/');
  if (!fs.existsSync(dir)) {
    return { problems: [{ file: repoPath(''), line: 0, path: '', message: 'content directory not found' }] };
  }
  const files = listFiles(dir).map((relative) => ({
    path: relative,
    bytes: fs.readFileSync(path.join(dir, relative)),
  }));
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));

  const parse = <T extends z.ZodType>(relative: string, schema: T): Parsed<z.output<T>> | undefined => {
    const source = new YamlSource(repoPath(relative), byPath.get(relative)!.toString('utf8'));
    if (source.syntaxProblems.length) {
      problems.push(...source.syntaxProblems);
      return undefined;
    }
    const result = source.parse(schema);
    problems.push(...result.problems);
    const name = path.posix.basename(relative).replace(/\.yaml$/, '');
    return result.data === undefined ? undefined : { source, name, data: result.data };
  };
  const incomplete: Record<string, boolean> = {};
  const folder = <T extends z.ZodType>(name: (typeof FOLDERS)[number], schema: T) =>
    files
      .filter((f) => f.path.startsWith(`${name}/`))
      .flatMap((f) => {
        if (!/^[^/]+\.yaml$/.test(f.path.slice(name.length + 1))) {
          problems.push({
            file: repoPath(f.path),
            line: 0,
            path: '',
            message: `content/${name}/ holds only <id>.yaml files`,
          });
          return [];
        }
        const parsed = parse(f.path, schema);
        if (!parsed) incomplete[name] = true;
        return parsed ? [parsed] : [];
      });

  let framework: ParsedContent['framework'];
  if (byPath.has('framework.yaml')) framework = parse('framework.yaml', frameworkSchema);
  else
    problems.push({
      file: repoPath('framework.yaml'),
      line: 0,
      path: '',
      message: 'framework.yaml is missing',
    });

  const attachments = new Set<string>();
  for (const file of files) {
    if (file.path.startsWith('attachments/')) {
      attachments.add(file.path.slice('attachments/'.length));
      if (file.path.toLowerCase().endsWith('.svg'))
        problems.push(...svgProblems(repoPath(file.path), file.bytes.toString('utf8')));
    } else if (
      file.path !== 'framework.yaml' &&
      !FOLDERS.some((f) => file.path.startsWith(`${f}/`)) &&
      !/(^|\/)(README\.md|\.gitkeep)$/.test(file.path)
    ) {
      problems.push({ file: repoPath(file.path), line: 0, path: '', message: 'unexpected file in content/' });
    }
  }
  const content: ParsedContent = {
    framework,
    competences: folder('competences', competenceFileSchema),
    modules: folder('modules', moduleSchema),
    parcours: folder('parcours', parcoursSchema),
    attachments,
  };
  content.incomplete = { competences: !!incomplete.competences, modules: !!incomplete.modules };
  problems.push(...crossCheck(content));
  sortProblems(problems);
  if (problems.length > 0 || !framework) return { problems };
  return {
    problems,
    bank: buildBank({
      version: contentVersion(files),
      framework: framework.data,
      competences: content.competences,
      modules: content.modules,
      parcours: content.parcours,
    }),
  };
}

/** The checked bank; throws a ContentError listing every problem otherwise. */
export function loadContent(dir: string = CONTENT_DIR): ContentBank {
  const { problems, bank } = checkContent(dir);
  if (!bank) throw new ContentError(problems);
  return bank;
}
