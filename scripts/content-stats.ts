/** npm run content:stats [-- --json] [-- <content dir>]: what the bank holds, as a table or one JSON object. */
import path from 'node:path';
import { loadContent } from '../src/content/load';
import { ContentError, formatProblem } from '../src/content/problems';
import { contentStats, formatStats } from '../src/content/stats';

try {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('-'));
  const stats = contentStats(loadContent(dir === undefined ? undefined : path.resolve(dir)));
  console.log(process.argv.includes('--json') ? JSON.stringify(stats) : formatStats(stats));
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  for (const problem of error.problems) console.error(formatProblem(problem));
  console.error(`${error.problems.length} content problem(s): run npm run content:check`);
  process.exit(1);
}
