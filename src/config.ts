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
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine(
      (u) => /^(postgres(ql)?:\/\/|sqlite:)/.test(u),
      'DATABASE_URL must start with postgres:// (PostgreSQL) or sqlite: (e.g. sqlite:./data/tool.db); leave it unset for the embedded SQLite default',
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
  TRUST_PROXY: z.string().default('loopback'),
  DEFAULT_LOCALE: z.enum(['fr', 'en']).default('fr'),
  WORKERS: z.enum(['on', 'off']).default('on'),
});

export type Env = z.infer<typeof envSchema>;

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
  trustProxy: string;
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
    trustProxy: e.TRUST_PROXY,
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
