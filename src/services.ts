import type { Clock } from './clock';
import type { Db } from './db';
import { createAdminSessionRepository } from './db/repositories/admin-sessions';
import { createAdminRepository } from './db/repositories/admins';
import { createPlatformRepository } from './db/repositories/platforms';
import { createRegistrationTokenRepository } from './db/repositories/registration-tokens';
import { createSettingsRepository, randomSecret } from './db/repositories/settings';
import type { ContentBank } from './content/bank';
import { createLearningDeps, type AttemptEventSink, type LearningRandom } from './learning';
import { createCatalogueIndex } from './catalogue';
import { createGradeServices } from './grades/setup';

export interface ServiceOptions {
  /** The content bank loaded once at start-up; without it the learner pages are not mounted. */
  content?: ContentBank;
  /** Extra attempt-event sinks (tests); the features' own sinks are added below. */
  attemptEventSinks?: AttemptEventSink[];
  learningRandom?: LearningRandom;
}

/**
 * Repositories and use cases wired to one database and clock. Built once by the composition root
 * (src/main.ts) and by tests, then handed to the web layer and the workers.
 */
export function createServices(db: Db, clock: Clock, opts: ServiceOptions = {}) {
  // Every attempt change calls these inside its own transaction (see src/learning/events.ts).
  const catalogue = opts.content ? createCatalogueIndex(opts.content) : undefined;
  // AGS grades: scores go to the outbox in the answer's transaction; workers deliver them later.
  const grades = createGradeServices(db, clock, {
    maxPixFor: (kind, id) => catalogue?.().byValue.get(`${kind}:${id}`)?.maxPix ?? 0,
  });
  const attemptEventSinks: AttemptEventSink[] = [...(opts.attemptEventSinks ?? []), grades.sink];
  return {
    platforms: createPlatformRepository(db, clock),
    admins: createAdminRepository(db, clock),
    adminSessions: createAdminSessionRepository(db, clock),
    registrationTokens: createRegistrationTokenRepository(db, clock),
    settings: createSettingsRepository(db, clock),
    content: opts.content,
    attemptEventSinks,
    grades,
    catalogue,
    learning: opts.content
      ? createLearningDeps({
          db,
          bank: opts.content,
          clock,
          sinks: attemptEventSinks,
          random: opts.learningRandom,
        })
      : undefined,
  };
}

export type Services = ReturnType<typeof createServices>;

/** SESSION_SECRET if set, else one random secret shared by every process through the database. */
export async function resolveSessionSecret(
  services: Services,
  configured: string | undefined,
): Promise<string> {
  return configured ?? services.settings.getOrCreate('admin_session_secret', randomSecret);
}
