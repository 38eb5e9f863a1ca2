import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * The tool's configuration, read once from the environment by the composition root.
 * Every invalid value is reported with the variable's name and how to fix it.
 */
const envSchema = z.object({
  PORT: z.coerce
    .number({ message: 'PORT must be a number, e.g. PORT=3000' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be between 0 and 65535')
    .max(65535, 'PORT must be between 0 and 65535')
    .default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z
    .url({
      message:
        'PUBLIC_URL must be the absolute URL the LMS reaches the tool at, e.g. https://pix-lti.example.org',
    })
    .refine((u) => /^https?:\/\//.test(u), 'PUBLIC_URL must start with http:// or https://')
    .refine(
      (u) => !URL.canParse(u) || isBareOrigin(new URL(u)),
      'PUBLIC_URL must be the origin alone, without a path (e.g. https://pix-lti.example.org): the tool serves from the root of its host name, so give it a host name of its own behind the proxy',
    )
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine(
      (u) => /^(postgres(ql)?:\/\/|sqlite:)/.test(u),
      'DATABASE_URL must start with postgres:// (PostgreSQL) or sqlite: (e.g. sqlite:./data/tool.db); leave it unset for the embedded SQLite default',
    )
    .refine(
      (u) => !/^postgres/.test(u) || postgresUrlNamesServer(u),
      'DATABASE_URL must name the PostgreSQL server and database, e.g. postgres://user:password@db.example:5432/pixlti',
    )
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_SECRET: z
    .string()
    .min(32, 'SESSION_SECRET must be at least 32 characters of random text')
    .optional(),
  LAUNCH_SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(240),
  KEY_OVERLAP_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 90)
    .default(72),
  TRUST_PROXY: z
    .string()
    .refine(
      validTrustProxy,
      'TRUST_PROXY must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses (IP or IP/prefix) and the names loopback, linklocal, uniquelocal',
    )
    .default('loopback'),
  DEFAULT_LOCALE: z.enum(['fr', 'en']).default('fr'),
  WORKERS: z.enum(['on', 'off']).default('on'),
});

export type Env = z.infer<typeof envSchema>;

const isBareOrigin = (url: URL) => url.pathname === '/' && !url.search && !url.hash;

function postgresUrlNamesServer(u: string): boolean {
  if (!URL.canParse(u)) return false;
  const url = new URL(u);
  // A Unix socket may come as ?host=/run/postgresql instead of a host name.
  return (url.hostname !== '' || url.searchParams.has('host')) && url.pathname.length > 1;
}

/** The forms express's "trust proxy" setting takes (proxy-addr): anything else fails at start-up. */
function validTrustProxy(v: string): boolean {
  if (v === 'true' || v === 'false' || /^\d+$/.test(v)) return true;
  return v.split(',').every((part) => {
    const entry = part.trim();
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
    const [address, prefix, extra] = entry.split('/');
    if (extra !== undefined || !address || !isIP(address)) return false;
    if (prefix === undefined) return true;
    if (!/^\d+$/.test(prefix)) return isIP(prefix) === 4;
    return Number(prefix) <= (isIP(address) === 4 ? 32 : 128);
  });
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  logLevel: Env['LOG_LEVEL'];
  sessionSecret: string | undefined;
  launchSessionTtlMs: number;
  keyOverlapMs: number;
  /** As express's "trust proxy" setting takes it: true/false, a hop count, or a list of addresses. */
  trustProxy: boolean | number | string;
  defaultLocale: 'fr' | 'en';
  workers: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  let database: Config['database'];
  if (e.DATABASE_URL?.startsWith('postgres')) database = { kind: 'postgres', url: e.DATABASE_URL };
  else if (e.DATABASE_URL?.startsWith('sqlite:'))
    database = { kind: 'sqlite', file: path.resolve(e.DATABASE_URL.slice('sqlite:'.length)) };
  else database = { kind: 'sqlite', file: path.join(dataDir, 'tool.db') };
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir,
    database,
    logLevel: e.LOG_LEVEL,
    sessionSecret: e.SESSION_SECRET,
    launchSessionTtlMs: e.LAUNCH_SESSION_TTL_MINUTES * 60_000,
    keyOverlapMs: e.KEY_OVERLAP_HOURS * 3_600_000,
    trustProxy:
      e.TRUST_PROXY === 'true'
        ? true
        : e.TRUST_PROXY === 'false'
          ? false
          : /^\d+$/.test(e.TRUST_PROXY)
            ? Number(e.TRUST_PROXY)
            : e.TRUST_PROXY,
    defaultLocale: e.DEFAULT_LOCALE,
    workers: e.WORKERS === 'on',
  };
}

/** For entry points (the server, command-line tools): an invalid configuration ends the process with its problems listed. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
