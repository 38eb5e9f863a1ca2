/** npm run content:check: every content problem as `file:line path: message`; exit 1 if any. */
import { checkContent } from '../src/content/load';
import { formatProblem } from '../src/content/problems';

const { problems, bank } = checkContent();
if (problems.length > 0 || !bank) {
  for (const problem of problems) console.error(formatProblem(problem));
  console.error(`${problems.length} content problem(s)`);
  process.exit(1);
}
console.log(
  `content OK: ${bank.competences.size} competences, ${bank.tubes.size} tubes, ${bank.skills.size} skills, ` +
    `${bank.challenges.size} challenges, ${bank.modules.size} modules, ${bank.parcours.size} parcours; version ${bank.version}`,
);
