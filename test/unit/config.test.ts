import path from 'node:path';
import express from 'express';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration from the environment', () => {
  it('runs on SQLite under ./data with no variable set', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.database).toEqual({ kind: 'sqlite', file: path.resolve('./data/tool.db') });
    expect(c.workers).toBe(true);
  });

  it('reads PostgreSQL, a public URL behind a proxy (trailing slash dropped) and the other settings', () => {
    const c = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://pix-lti.example.org/',
      DATABASE_URL: 'postgres://u:p@db:5432/pixlti',
      LAUNCH_SESSION_TTL_MINUTES: '60',
      DEFAULT_LOCALE: 'en',
      WORKERS: 'off',
    });
    expect(c).toMatchObject({
      port: 8080,
      publicUrl: 'https://pix-lti.example.org',
      database: { kind: 'postgres', url: 'postgres://u:p@db:5432/pixlti' },
      launchSessionTtlMs: 3_600_000,
      defaultLocale: 'en',
      workers: false,
    });
  });

  it('names every invalid variable and says how to fix it, all at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        PUBLIC_URL: 'pix-lti.example.org',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: PORT must be a number/m);
    expect(problems).toMatch(/^PUBLIC_URL: PUBLIC_URL must be the absolute URL/m);
    expect(problems).toMatch(/^DATABASE_URL: DATABASE_URL must start with postgres:\/\//m);
    expect(problems).toMatch(/^LOG_LEVEL: /m);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('refuses a PUBLIC_URL with a path: the tool serves from the root of its host name', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'https://ent.example.org/pix' })).toThrow(/without a path/);
    expect(loadConfig({ PUBLIC_URL: 'https://pix.example.org/' }).publicUrl).toBe('https://pix.example.org');
  });

  it('refuses a PostgreSQL URL that names no server or database', () => {
    for (const url of ['postgres://', 'postgres://db.example', 'postgresql://user@db.example/']) {
      expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/DATABASE_URL must name the PostgreSQL server/);
    }
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@localhost/pixlti?host=/run/postgresql' }).database.kind,
    ).toBe('postgres');
  });

  // Every value we accept, express accepts too (it would otherwise fail at start-up with a stack trace).
  it.each([
    'loopback',
    'true',
    'false',
    '2',
    '10.0.0.0/8, loopback',
    '::1',
    '192.168.0.0/255.255.0.0',
    'fd00::/8',
  ])('TRUST_PROXY=%s is accepted, as express accepts it', (value) => {
    const { trustProxy } = loadConfig({ TRUST_PROXY: value });
    expect(String(trustProxy)).toBe(value);
    expect(() => express().set('trust proxy', trustProxy)).not.toThrow();
  });
  it.each(['foo', '10.0.0.1/33', 'loopback,foo', '300.1.1.1'])(
    'TRUST_PROXY=%s is refused with how to fix it',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY must be true, false, a number/);
    },
  );
});
