// npm run keys:rotate: publish a new tool key now; it signs after KEY_OVERLAP_HOURS, and the old key
// stays published one more overlap after that (platforms such as Moodle cache our JWKS).
import 'dotenv/config';
import { systemClock } from '../src/clock';
import { loadConfigOrExit } from '../src/config';
import { migrateToLatest, openDb } from '../src/db';
import { createLogger } from '../src/logger';
import { createLtiContext, rotateToolKeys } from '../src/web/lti';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const db = openDb(config.database);
  try {
    await migrateToLatest(db);
    const ctx = createLtiContext({ config, db, logger: createLogger('warn'), clock: systemClock });
    const plan = await rotateToolKeys(ctx.keySet, systemClock.now(), config.keyOverlapMs);
    const when = (ms: number) => new Date(ms).toISOString();
    console.log(
      plan.alreadyPending
        ? `A rotation is already pending: key ${plan.kid}.`
        : `New key ${plan.kid} published in ${config.publicUrl}/.well-known/jwks.json.`,
    );
    console.log(
      `It signs from ${when(plan.signsFrom)} (the tool switches on its own, at start-up or within 10 minutes).`,
    );
    console.log(`The keys signing today stay published until ${when(plan.oldRetireAfter)}, then retire.`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
