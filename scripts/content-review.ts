/**
 * Blind review of the challenge bank.
 *   export <dir> [competence…]   writes one sheet per competence (what a learner sees, no solution,
 *                                no explanation) and an empty answers file to fill in
 *   compare <dir>                 checks every reviewer answer with the real checker and prints the
 *                                disagreements as JSON (and a summary line)
 * Answers file: { "<challenge id>": { "choices": ["b"] } | { "fields": { "reponse": "…" } } | { "unsure": "why" } }
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkAnswer } from '../src/assessment/checking';
import { loadContent, toLearnerChallenge } from '../src/content';
import type { AnswerValue } from '../src/assessment/types';

const [command, dir, ...only] = process.argv.slice(2);
if (!dir || (command !== 'export' && command !== 'compare')) {
  console.error('Usage: ts-node scripts/content-review.ts export|compare <dir> [competence…]');
  process.exit(2);
}
const bank = loadContent();
fs.mkdirSync(dir, { recursive: true });

if (command === 'export') {
  const byCompetence = new Map<string, string[]>();
  for (const c of bank.challenges.values()) {
    if (only.length && !only.includes(c.competenceId)) continue;
    const v = toLearnerChallenge(c, 'fr');
    const lines = [`## ${c.id}  (${c.type})`, '', v.instruction, ''];
    if (v.illustration) lines.push(`Illustration (texte alternatif) : ${v.illustration.alt}`, '');
    for (const a of v.attachments ?? [])
      lines.push(`Fichier joint : content/attachments/${a.file} (${a.label})`);
    if (v.attachments?.length) lines.push('');
    for (const p of v.proposals ?? []) lines.push(`- [${p.id}] ${p.text}`);
    for (const f of v.fields ?? [])
      lines.push(`- champ \`${f.id}\` : ${f.label}${f.suffix ? ` (${f.suffix})` : ''}`);
    if (c.type === 'QCM') lines.push('', '(plusieurs réponses possibles)');
    if (c.type === 'QROCM-dep')
      lines.push('', '(les champs acceptent des réponses interchangeables, chacune une seule fois)');
    lines.push('');
    const list = byCompetence.get(c.competenceId) ?? [];
    list.push(lines.join('\n'));
    byCompetence.set(c.competenceId, list);
  }
  for (const [comp, sheets] of byCompetence) {
    fs.writeFileSync(path.join(dir, `sheet-${comp}.md`), `# Compétence ${comp}\n\n${sheets.join('\n')}`);
    const answers = path.join(dir, `answers-${comp}.json`);
    if (!fs.existsSync(answers)) fs.writeFileSync(answers, '{}\n');
  }
  console.log(`exported ${[...byCompetence.values()].flat().length} challenges into ${dir}`);
} else {
  const disagreements: unknown[] = [];
  let reviewed = 0;
  let unsure = 0;
  for (const file of fs.readdirSync(dir).filter((f) => /^answers-.*\.json$/.test(f))) {
    const answers = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<
      string,
      { choices?: string[]; fields?: Record<string, string>; unsure?: string; comment?: string }
    >;
    for (const [id, a] of Object.entries(answers)) {
      const c = bank.challenges.get(id);
      if (!c) {
        disagreements.push({ id, problem: 'unknown challenge id' });
        continue;
      }
      reviewed++;
      if (a.unsure) {
        unsure++;
        disagreements.push({ id, reviewer: a, problem: 'reviewer could not decide' });
        continue;
      }
      const value: AnswerValue = a.choices
        ? { type: 'choices', ids: a.choices }
        : { type: 'fields', values: a.fields ?? {} };
      const result = checkAnswer(c, value, 'fr');
      if (result.status !== 'ok')
        disagreements.push({ id, reviewer: a, solution: c.solution, fields: result.fields });
    }
  }
  fs.writeFileSync(path.join(dir, 'disagreements.json'), JSON.stringify(disagreements, null, 2));
  console.log(JSON.stringify({ reviewed, disagreements: disagreements.length, unsure }));
}
