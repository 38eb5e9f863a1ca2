import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import type { z } from 'zod';
import { type ContentProblem, formatPath, type PathSegment } from './problems';

/**
 * A parsed YAML file that can say on which line a data path is written, so that schema and
 * cross-check problems point at the author's line rather than at the file.
 */
export class YamlSource {
  readonly data: unknown;
  readonly syntaxProblems: ContentProblem[];
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  constructor(
    /** Relative to the repository root. */
    readonly file: string,
    text: string,
  ) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    this.syntaxProblems = this.doc.errors.map((error) => ({
      file,
      line: this.lines.linePos(error.pos[0]).line,
      path: '',
      message: `YAML syntax: ${error.message.split('\n')[0]}`,
    }));
    this.data = this.syntaxProblems.length ? undefined : this.doc.toJS({ maxAliasCount: 100 });
  }

  /**
   * The line of `path`: for a map entry the line of its key (a block value starts on the next line),
   * for a list item its own line; for a path not in the file, its deepest written ancestor.
   */
  lineOf(path: readonly PathSegment[]): number {
    let node: unknown = this.doc.contents;
    let offset = isNode(node) && node.range ? node.range[0] : 0;
    for (const segment of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
        if (!pair) break;
        if (isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
        next = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
        if (isNode(next) && next.range) offset = next.range[0];
      }
      if (!isNode(next)) break;
      node = next;
    }
    return this.lines.linePos(offset).line;
  }

  problem(path: readonly PathSegment[], message: string): ContentProblem {
    return { file: this.file, line: this.lineOf(path), path: formatPath(path), message };
  }

  /** Validates the data; zod issues become located problems. */
  parse<T extends z.ZodType>(schema: T): { data?: z.output<T>; problems: ContentProblem[] } {
    const result = schema.safeParse(this.data);
    if (result.success) return { data: result.data, problems: [] };
    return {
      problems: flattenIssues(result.error.issues).map((issue) => this.problem(issue.path, issue.message)),
    };
  }
}

interface FlatIssue {
  path: PathSegment[];
  message: string;
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  errors?: IssueLike[][];
  keys?: string[];
}

const keyOf = (k: PropertyKey): PathSegment => (typeof k === 'number' ? k : String(k));

/**
 * zod reports a failed union as "Invalid input" with every branch's issues. Authors need the branch
 * they meant: we drop branches whose very type was wrong, then keep the one with the fewest issues.
 */
function flattenIssues(issues: readonly IssueLike[], prefix: PathSegment[] = []): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    const path = [...prefix, ...issue.path.map(keyOf)];
    if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
      const branches = issue.errors.map((branch) => flattenIssues(branch, path));
      const typeMismatch = (branch: IssueLike[]) =>
        branch.some((i) => i.code === 'invalid_type' && i.path.length === 0) ||
        branch.some((i) => i.code === 'invalid_union' && i.path.length === 0 && typeMismatchAll(i));
      const plausible = branches.filter((_, i) => !typeMismatch(issue.errors![i]!));
      if (plausible.length === 0) {
        const expected = [...new Set(expectedTypes(issue))];
        return [{ path, message: `expected ${expected.join(' or ')}` }];
      }
      return plausible.reduce((best, b) => (b.length < best.length ? b : best));
    }
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"` }));
    }
    return [{ path, message: issue.message.replace(/^Invalid input: /, '') }];
  });
}

function typeMismatchAll(issue: IssueLike): boolean {
  return (issue.errors ?? []).every((branch) =>
    branch.some(
      (i) =>
        (i.code === 'invalid_type' && i.path.length === 0) ||
        (i.code === 'invalid_union' && i.path.length === 0 && typeMismatchAll(i)),
    ),
  );
}

function expectedTypes(issue: IssueLike): string[] {
  return (issue.errors ?? []).flatMap((branch) =>
    branch
      .filter((i) => i.path.length === 0)
      .flatMap((i) => (i.code === 'invalid_union' ? expectedTypes(i) : i.expected ? [i.expected] : [])),
  );
}
