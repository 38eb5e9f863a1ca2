// npm run grades:resync -- <placement id> [--now]
// Queues again the latest score of every learner of a placement (after an outage that parked rows,
// or a gradebook reset). The running tool's workers deliver them; with --now this command delivers
// them itself before exiting.
import pino from 'pino';
import { systemClock } from '../src/clock';
import { createAgsWorker, createServiceClients } from '../src/grades';
import { createLtiContext } from '../src/web/lti';
import { withServices } from './lib/cli';

const args = process.argv.slice(2);
const placementId = args.find((a) => !a.startsWith('--'));
const now = args.includes('--now');

if (!placementId) {
  console.error('Usage: npm run grades:resync -- <placement id> [--now]');
  process.exit(2);
}

void withServices(async ({ config, db, services }) => {
  // An operator's command: the placement id alone names it (ids are unique across platforms).
  const placement = await services.grades.grades.placementForOperator(placementId);
  if (!placement) {
    console.error(`No placement ${placementId}.`);
    return 1;
  }
  const { requeued } = await services.grades.resync(placement.platformId, placement.id);
  console.log(`Queued the latest score of ${requeued} learner(s) of “${placement.title ?? placement.id}”.`);
  if (!now || requeued === 0) return 0;
  const logger = pino({ level: config.logLevel });
  const lti = createLtiContext({ config, db, logger, clock: systemClock });
  const worker = createAgsWorker({
    db,
    clock: systemClock,
    clients: createServiceClients({ signer: lti.keySet, clock: systemClock, fetch: lti.fetch }),
    logger,
    id: `resync-${process.pid}`,
  });
  const report = await worker.drain(50);
  console.log(
    `Delivered ${report.delivered}, retrying later ${report.retried + report.later}, refused ${report.parked}.`,
  );
  return report.parked > 0 ? 1 : 0;
});
