import 'dotenv/config';
import type { Server } from 'node:http';
import { systemClock } from './clock';
import { loadConfigOrExit, type Config } from './config';
import { loadContent } from './content/load';
import { migrateToLatest, openDb } from './db';
import { createAgsWorker, createServiceClients } from './grades';
import { createLogger } from './logger';
import { createServices, resolveSessionSecret } from './services';
import { createApp } from './web/app';
import { createLtiContext, ensureToolKey, startLtiMaintenance } from './web/lti';

/** The composition root: config, database, content, app, workers, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const db = openDb(config.database);
  let applied: string[];
  try {
    applied = await migrateToLatest(db);
  } catch (err) {
    logger.fatal(
      { err },
      `cannot open the database ${describeDatabase(config)}: ${(err as Error).message}. ` +
        'Check DATABASE_URL (server, database, user and password) and that the server is running.',
    );
    process.exit(1);
  }
  if (applied.length) logger.info({ applied }, 'database migrated');

  // Loaded and validated once: a content error stops the start-up with the list of problems.
  const content = loadContent();
  logger.info({ version: content.version.slice(0, 12) }, 'content loaded');
  const services = createServices(db, systemClock, { content });
  const sessionSecret = await resolveSessionSecret(services, config.sessionSecret);
  const lti = createLtiContext({ config, db, logger, clock: systemClock });
  const kid = await ensureToolKey(lti);
  logger.info({ kid }, 'tool signing key ready');
  // Admin sessions expire on read; expired ones never read again are purged here.
  const stopLtiMaintenance = startLtiMaintenance(lti, undefined, {
    adminSessions: () => services.adminSessions.purgeExpired(),
  });
  // AGS scores leave through the outbox; any number of processes may run a worker (leases).
  const agsWorker = createAgsWorker({
    db,
    clock: systemClock,
    clients: createServiceClients({ signer: lti.keySet, clock: systemClock, fetch: lti.fetch }),
    logger,
  });
  if (config.workers) {
    agsWorker.start();
    services.grades.onEnqueued(() => agsWorker.wake());
    logger.info({ worker: agsWorker.id }, 'AGS delivery worker started');
  }
  const app = createApp({ config, db, logger, clock: systemClock, services, sessionSecret, lti });
  const server: Server = app.listen(config.port, config.host, (err?: Error) => {
    if (err) {
      logger.fatal({ err }, listenProblem(err as NodeJS.ErrnoException, config));
      process.exit(1);
    }
    logger.info({ url: config.publicUrl, port: config.port, database: db.dialect }, 'tool listening');
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stopLtiMaintenance();
    server.close(async () => {
      // Deliveries in flight finish (or their leases expire for another process to take over).
      await agsWorker.stop();
      await db.destroy();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** What to do when the server cannot listen, in the terms of the settings that decide it. */
function listenProblem(err: NodeJS.ErrnoException, config: Config): string {
  const where = `${config.host}:${config.port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is already in use. Stop the other process or set PORT to a free port.`;
    case 'EACCES':
      return `cannot listen on ${where}: this user may not open that port. Set PORT above 1023 (a reverse proxy can serve 443).`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${where}: HOST is not an address of this machine. Set HOST to one of its addresses, or 0.0.0.0 for all.`;
    default:
      return `cannot listen on ${where}: ${err.message}`;
  }
}

/** The database in a log line: the file, or the server and database without the password. */
function describeDatabase(config: Config): string {
  if (config.database.kind === 'sqlite') return `(SQLite file ${config.database.file})`;
  const u = new URL(config.database.url);
  if (u.password) u.password = '***';
  return `(PostgreSQL ${u.toString()})`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
