import type { Clock } from './clock';
import type { Db } from './db';
import { createAdminSessionRepository } from './db/repositories/admin-sessions';
import { createAdminRepository } from './db/repositories/admins';
import { createPlatformRepository } from './db/repositories/platforms';
import { createRegistrationTokenRepository } from './db/repositories/registration-tokens';
import { createSettingsRepository, randomSecret } from './db/repositories/settings';

/**
 * Repositories and use cases wired to one database and clock. Built once by the composition root
 * (src/main.ts) and by tests, then handed to the web layer and the workers.
 */
export function createServices(db: Db, clock: Clock) {
  return {
    platforms: createPlatformRepository(db, clock),
    admins: createAdminRepository(db, clock),
    adminSessions: createAdminSessionRepository(db, clock),
    registrationTokens: createRegistrationTokenRepository(db, clock),
    settings: createSettingsRepository(db, clock),
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
