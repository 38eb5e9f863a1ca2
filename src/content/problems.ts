/** One thing wrong with the content, located for the author: `file:line path: message`. */
export interface ContentProblem {
  /** Relative to the repository root, with "/" separators, e.g. `content/competences/1.1.yaml`. */
  file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number;
  /** Where in the file's data, e.g. `tubes[0].skills[2].challenges[1].solution`; empty for the whole file. */
  path: string;
  message: string;
}

export function formatProblem(problem: ContentProblem): string {
  return `${problem.file}:${problem.line}${problem.path ? ` ${problem.path}` : ''}: ${problem.message}`;
}

/** Thrown by loadContent when the content has problems; lists every one of them. */
export class ContentError extends Error {
  constructor(readonly problems: readonly ContentProblem[]) {
    super(
      `content has ${problems.length} problem(s):\n` +
        problems
          .slice(0, 50)
          .map((p) => `  ${formatProblem(p)}`)
          .join('\n') +
        (problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''),
    );
    this.name = 'ContentError';
  }
}

export type PathSegment = string | number;

/** `['tubes', 0, 'skills']` → `tubes[0].skills`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

export function sortProblems(problems: ContentProblem[]): ContentProblem[] {
  return problems.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.path.localeCompare(b.path),
  );
}
