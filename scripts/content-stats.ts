/** npm run content:stats [-- --json]: what the bank holds, as a table or as one JSON object. */
import { loadContent } from '../src/content/load';
import { ContentError, formatProblem } from '../src/content/problems';
import { contentStats, formatStats } from '../src/content/stats';

try {
  const stats = contentStats(loadContent());
  console.log(process.argv.includes('--json') ? JSON.stringify(stats) : formatStats(stats));
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  for (const problem of error.problems) console.error(formatProblem(problem));
  console.error(`${error.problems.length} content problem(s): run npm run content:check`);
  process.exit(1);
}
