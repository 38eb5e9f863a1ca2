import type { LtiContext } from './context';

/**
 * Periodic upkeep: due key transitions (a `next` key starts signing, a `previous` one retires) and
 * expired states, nonces and launch sessions purged. Returns a stop function for graceful shutdown.
 */
export function startLtiMaintenance(
  ctx: LtiContext,
  everyMs = 10 * 60_000,
  /** Other expired rows to purge on the same schedule (e.g. admin sessions), by name. */
  alsoPurge: Record<string, () => Promise<number>> = {},
): () => void {
  const run = async () => {
    try {
      await ctx.keySet.tick(ctx.clock.now());
      const purged = {
        states: await ctx.states.purgeExpired(),
        nonces: await ctx.nonces.purgeExpired(),
        sessions: await ctx.sessions.purgeExpired(),
      } as Record<string, number>;
      for (const [name, purge] of Object.entries(alsoPurge)) purged[name] = await purge();
      ctx.logger.debug({ purged }, 'LTI maintenance done');
    } catch (err) {
      ctx.logger.warn({ err }, 'LTI maintenance failed; will retry');
    }
  };
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** At start-up: make sure a signing key exists (generated on first start) and apply due transitions. */
export async function ensureToolKey(ctx: LtiContext): Promise<string> {
  return ctx.keySet.ensureKey(ctx.clock.now());
}
