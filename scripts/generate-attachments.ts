/**
 * npm run content:attachments            writes every generated file under content/attachments/
 * npm run content:attachments -- --check  writes nothing; exits 1 if a committed file differs
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONTENT_DIR } from '../src/paths';
import { loadGenerators } from './attachments/lib/registry';

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const target = path.join(CONTENT_DIR, 'attachments');
  const attachments = loadGenerators(path.join(__dirname, 'attachments'));
  let stale = 0;
  for (const attachment of attachments) {
    const bytes = await attachment.build();
    const file = path.join(target, attachment.file);
    const current = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    const same = current !== undefined && Buffer.compare(current, Buffer.from(bytes)) === 0;
    if (check) {
      if (!same) {
        stale++;
        console.error(
          `${current ? 'differs' : 'missing'}: content/attachments/${attachment.file} (${attachment.generator})`,
        );
      }
    } else if (!same) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, bytes);
      console.log(
        `wrote content/attachments/${attachment.file} (${bytes.length} bytes, ${attachment.generator})`,
      );
    }
  }
  if (check && stale > 0) {
    console.error(`${stale} generated file(s) out of date: run npm run content:attachments`);
    return 1;
  }
  console.log(`${attachments.length} generated attachment(s) ${check ? 'up to date' : 'in place'}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
