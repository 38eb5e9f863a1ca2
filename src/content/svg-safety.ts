import type { ContentProblem } from './problems';

/**
 * SVG files are served as images but can carry scripts or fetch other resources when opened
 * directly: we accept none of that. Internal references (`#id`) and data: URIs are fine.
 */
const RULES: { pattern: RegExp; message: string }[] = [
  { pattern: /<script\b/gi, message: 'SVG must not contain <script>' },
  { pattern: /\son[a-z]+\s*=/gi, message: 'SVG must not contain event handlers (on…=)' },
  { pattern: /<foreignObject\b/gi, message: 'SVG must not contain <foreignObject>' },
  {
    pattern: /\b(?:xlink:)?href\s*=\s*["']\s*(?!#|data:)[^"']*["']/gi,
    message: 'SVG must not reference external resources (href)',
  },
  {
    pattern: /url\(\s*["']?\s*(?!#|data:)[^)]*\)/gi,
    message: 'SVG must not reference external resources (url())',
  },
  { pattern: /@import\b/gi, message: 'SVG must not import style sheets' },
  { pattern: /<!ENTITY\b/gi, message: 'SVG must not declare entities' },
];

export function svgProblems(file: string, raw: string): ContentProblem[] {
  // Comments are inert: blank them (keeping line breaks, so lines stay right) before looking.
  const text = raw.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));
  const problems: ContentProblem[] = [];
  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      problems.push({ file, line, path: '', message: `${rule.message}: ${match[0].trim().slice(0, 60)}` });
    }
  }
  return problems;
}
