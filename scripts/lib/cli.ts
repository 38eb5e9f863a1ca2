import 'dotenv/config';
import { systemClock } from '../../src/clock';
import { loadConfigOrExit, type Config } from '../../src/config';
import { migrateToLatest, openDb, type Db } from '../../src/db';
import { createServices, type Services } from '../../src/services';

/** Opens the configured database (migrated) for a command-line tool, and closes it after `run`. */
export async function withServices(
  run: (ctx: { config: Config; db: Db; services: Services }) => Promise<number>,
  opts: { migrate?: boolean } = {},
): Promise<never> {
  const config = loadConfigOrExit();
  const db = openDb(config.database);
  let code = 1;
  try {
    if (opts.migrate !== false) await migrateToLatest(db);
    code = await run({ config, db, services: createServices(db, systemClock) });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
  } finally {
    await db.destroy();
  }
  process.exit(code);
}

export const consoleIo = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };

export function readStdin(prompt: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c) => {
      data += c;
      // Interactive: one line is the whole password.
      if (process.stdin.isTTY && data.includes('\n')) {
        process.stdin.pause();
        resolve(data);
      }
    });
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}
