/**
 * npm run content:check [-- <content dir>]: every content problem as `file:line path: message`;
 * exit 1 if any. The directory defaults to content/.
 */
import path from 'node:path';
import { checkContent } from '../src/content/load';
import { formatProblem } from '../src/content/problems';

const dir = process.argv.slice(2).find((a) => !a.startsWith('-'));
const { problems, bank } = checkContent(dir === undefined ? undefined : path.resolve(dir));
if (problems.length > 0 || !bank) {
  for (const problem of problems) console.error(formatProblem(problem));
  console.error(`${problems.length} content problem(s)`);
  process.exit(1);
}
console.log(
  `content OK: ${bank.competences.size} competences, ${bank.tubes.size} tubes, ${bank.skills.size} skills, ` +
    `${bank.challenges.size} challenges, ${bank.modules.size} modules, ${bank.parcours.size} parcours; version ${bank.version}`,
);
